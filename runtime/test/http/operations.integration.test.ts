import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackEvent } from '../support/events.ts';
import { basic, postJson, startTestApi, type TestApi } from '../support/test-api.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.close();
});

describe('operations endpoints', () => {
  it('/healthz answers and /readyz checks the event log', async () => {
    expect(await (await fetch(`${api.url}/healthz`)).json()).toEqual({ ok: true });
    const ready = await fetch(`${api.url}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { ready: boolean; components: { name: string; ok: boolean }[] };
    expect(body.ready).toBe(true);
    expect(body.components).toContainEqual(expect.objectContaining({ name: 'event-log', ok: true }));
  });

  it('/metrics counts accepted and rejected events in Prometheus text', async () => {
    const { key } = await api.tenant();
    await postJson(
      `${api.url}/v1/events`,
      { events: [trackEvent(), trackEvent(), { type: 'bad' }] },
      { authorization: basic(key) },
    );
    const response = await fetch(`${api.url}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^livora_events_accepted_total 2$/m);
    expect(text).toMatch(/livora_events_rejected_total\{code="LIVORA_EVENT_UNKNOWN_TYPE"\} \d+/);
    expect(text).toMatch(
      /livora_http_request_duration_seconds_count\{route="\/v1\/events",method="POST",status="202"\} \d+/,
    );
    expect(text).toContain('livora_process_resident_memory_bytes');
  });

  it('answers unknown routes with a problem document', async () => {
    const response = await fetch(`${api.url}/v1/nothing-here`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(((await response.json()) as { code: string }).code).toBe('LIVORA_HTTP_NOT_FOUND');
  });

  it('serves an OpenAPI 3.1 document covering every endpoint, and a docs page', async () => {
    const doc = (await (await fetch(`${api.url}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
    );
    for (const route of [
      'POST /v1/events',
      'POST /v1/batch',
      'POST /v1/track',
      'POST /v1/identify',
      'POST /v1/page',
      'POST /v1/screen',
      'POST /v1/group',
      'POST /v1/alias',
      'GET /v1/schemas',
      'POST /v1/schemas/{event}',
      'GET /v1/schemas/{event}',
      'GET /v1/schemas/{event}/versions/{version}',
      'GET /v1/canonical-event',
      'GET /healthz',
      'GET /readyz',
      'GET /metrics',
    ]) {
      expect(documented).toContain(route);
    }
    expect(doc.paths['/v1/events']?.post?.responses).toHaveProperty('202');
    for (const methods of Object.values(doc.paths)) {
      for (const operation of Object.values(methods)) expect(Object.keys(operation.responses ?? {})).toContain('4XX');
    }
    const docs = await fetch(`${api.url}/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toMatch(/swagger/i);
  });
});
