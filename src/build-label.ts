// Replaced at build time by vite.config.ts (`define`), from RALLY_BUILD_LABEL or version+commit.
declare const __RALLY_BUILD__: string;

/** Which build of Rally this page runs, for people asking support and for telling updates apart. */
export const BUILD_LABEL: string = typeof __RALLY_BUILD__ === 'string' ? __RALLY_BUILD__ : 'development';
