import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DeviceId, RegisterDeviceBody, type DeviceList } from '../../protocol';
import type { AccessTokenIssuer } from '../auth/access-tokens';
import { authenticateRequest } from '../auth/authenticate';
import { parseInput } from '../http/app-error';
import { spendOrRefuse, type UserBudget } from '../limits/user-limits';
import type { DeviceService } from '../push/device-service';

const DeviceParams = z.strictObject({ id: DeviceId });

/** Devices (each user's own), the public push config, and the admin's delivery figures. */
export function registerPushRoutes(app: FastifyInstance, deps: { devices: DeviceService; tokens: AccessTokenIssuer; writes: UserBudget }): void {
  app.post('/api/devices', async (request) => {
    const viewer = await authenticateRequest(request, deps.tokens);
    await spendOrRefuse(deps.writes, viewer.id);
    const body = parseInput(RegisterDeviceBody, request.body, 'device');
    return deps.devices.register(viewer, body);
  });

  app.get('/api/devices', async (request, reply) => {
    const viewer = await authenticateRequest(request, deps.tokens);
    const body: DeviceList = { devices: await deps.devices.list(viewer) };
    void reply.header('cache-control', 'no-store');
    return body;
  });

  app.delete('/api/devices/:id', async (request, reply) => {
    const viewer = await authenticateRequest(request, deps.tokens);
    const { id } = parseInput(DeviceParams, request.params, 'device id');
    await deps.devices.remove(viewer, id);
    return reply.status(204).send();
  });

  // Public: a page needs it to subscribe before anything else; it holds only public keys.
  app.get('/api/push/config', async () => deps.devices.pushConfig());

  app.get('/api/admin/metrics', async (request, reply) => {
    const viewer = await authenticateRequest(request, deps.tokens);
    void reply.header('cache-control', 'no-store');
    return deps.devices.adminMetrics(viewer);
  });
}
