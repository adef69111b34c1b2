import { defineConfig } from 'vitest/config';

// Two projects: pure unit tests beside their modules, and server integration tests that run the
// real app over real HTTP and sockets (against SQLite, or Postgres when RALLY_TEST_POSTGRES_URL is set).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['protocol/**/*.test.ts', 'server/**/*.test.ts', 'sw/**/*.test.ts', 'src/**/*.test.ts', 'device-db/**/*.test.ts', 'build/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'server',
          include: ['tests/server/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
