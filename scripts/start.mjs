// `npm start`: build if needed, then run ONE server process serving the PWA, the API and Socket.IO.
import { register } from 'tsx/esm/api';
import { buildIfStale } from './build-if-stale.mjs';

buildIfStale();
register();
await import('../server/main.ts');
