import { GatewayEnv } from '@inkwell/config';
import { defineService } from '@inkwell/runtime';
import { composeGateway } from './app';

/**
 * The gateway: the one public process. It owns no schema (so no database), takes client request
 * heads up to the public limit, and checks no gateway identity: it is what makes them.
 */
export const gatewayService = defineService({
  name: 'gateway',
  env: GatewayEnv,
  port: (c) => c.GATEWAY_PORT,
  schema: null,
  exposure: 'public',
  build: (ctx) => composeGateway(ctx),
});
