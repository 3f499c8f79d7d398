import { Router } from 'express';
import { ApiKeyIdParams, ApiKeyVerifyRequest, CreateApiKeyRequest } from '@inkwell/contracts';
import { identityOf, requireRole } from '@inkwell/auth-guard';
import { parse } from '@inkwell/http';
import type { ApiKeysService } from './api-keys.service';

export interface ApiConfigSettings {
  readonly publicUrl: string;
  readonly guestPerMin: number;
  readonly userPerMin: number;
}

export function apiKeysRoutes(keys: ApiKeysService, settings: ApiConfigSettings): Router {
  const r = Router();
  // Internal: the gateway resolves X-API-Key here. Not in the public route table.
  r.post('/internal/api-keys/verify', async (req, res) => {
    res.json(await keys.verify(parse(ApiKeyVerifyRequest, req.body).key));
  });
  r.use(['/api/admin/api-keys', '/api/admin/api-config'], requireRole('admin'));
  r.get('/api/admin/api-keys', async (_req, res) => {
    res.json(await keys.list());
  });
  r.post('/api/admin/api-keys', async (req, res) => {
    // The secret is in this body, once: no cache (browser, proxy) may keep a copy.
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json(await keys.create(identityOf(res), parse(CreateApiKeyRequest, req.body)));
  });
  r.delete('/api/admin/api-keys/:id', async (req, res) => {
    await keys.revoke(identityOf(res), parse(ApiKeyIdParams, req.params, 'path').id);
    res.status(204).end();
  });
  r.get('/api/admin/api-config', (_req, res) => {
    const base = settings.publicUrl.replace(/\/$/, '');
    res.json({
      endpoint: base,
      env_api_key_configured: keys.envKeyConfigured,
      rate_limits: { guest_per_min: settings.guestPerMin, authenticated_per_min: settings.userPerMin },
      examples: [
        { title: 'Read a digit', curl: `curl -H "X-API-Key: $INKWELL_API_KEY" -F file=@digit.png ${base}/v1/read` },
        { title: 'Predict (PRD shape)', curl: `curl -H "X-API-Key: $INKWELL_API_KEY" -F file=@digit.png ${base}/api/predict` },
        { title: 'OpenAPI document', curl: `curl ${base}/api/openapi.json` },
      ],
    });
  });
  return r;
}
