import { type Selectable, sql } from 'kysely';
import { probeEach } from '../../db/probe-each.ts';
import type { Tables } from '../../db/tables.ts';
import { deterministicUuid } from '../deterministic-id.ts';
import { OK, type PipelineEvent, type Step, type StepOutcome } from '../pipeline-event.ts';
import type { Tx } from '../state.ts';

interface SessionState {
  sessionId: string;
  personId: string;
  startedAt: number;
  endedAt: number;
  pageViews: number;
  events: number;
  landingPage: string | null;
  entryChannel: string;
  utm: {
    source: string | null;
    medium: string | null;
    campaign: string | null;
    term: string | null;
    content: string | null;
  };
  touched: boolean;
  /** Read from the sessions table (else made by this batch: a new row). */
  stored: boolean;
}

/**
 * Sessions per person: a new one after `inactivityMs` without events (30 minutes by
 * default) or when an event brings a different campaign. A late event (out-of-order
 * timestamp) joins the session whose span it falls in, and may move its start, landing
 * page and entry channel earlier. Session ids come from the first event, so replays and
 * re-runs make the same ones. Runs after identity (persons are locked by then).
 */
export function createSessionStep(options: { inactivityMs: number }): Step {
  const gap = options.inactivityMs;
  return {
    name: 'sessions',
    async run(events, { tx, merges }) {
      const live = events.filter((item) => !item.replayOf);
      await restoreReplayed(
        tx,
        events.filter((item) => item.replayOf?.session_id),
      );
      const byTenant = new Map<string, PipelineEvent[]>();
      for (const item of live) {
        const list = byTenant.get(item.event.tenant_id);
        if (list) list.push(item);
        else byTenant.set(item.event.tenant_id, [item]);
      }
      for (const [tenantId, items] of byTenant) {
        // A person who absorbs another in this batch continues that person's sessions too.
        const absorbed = merges.filter((m) => m.tenantId === tenantId);
        const sessions = await loadSessions(tx, tenantId, items, gap, absorbed);
        // Most batches merge no one: then a person's candidates are their own list, not a copy.
        const candidates = (person: string): readonly SessionState[] => {
          const own = sessions.get(person) ?? [];
          if (!absorbed.some((m) => m.to === person)) return own;
          const all = [...own];
          for (const m of absorbed) if (m.to === person) all.push(...candidates(m.from));
          return all;
        };
        for (const item of items) assign(tenantId, item, sessions, candidates, gap);
        await save(
          tx,
          tenantId,
          [...sessions.values()].flat().filter((s) => s.touched),
        );
      }
      return events.map((): StepOutcome => OK);
    },
  };
}

function assign(
  tenantId: string,
  item: PipelineEvent,
  sessions: Map<string, SessionState[]>,
  candidates: (person: string) => readonly SessionState[],
  gap: number,
): void {
  const person = item.derived.person_id as string;
  const at = Date.parse(item.event.timestamp);
  const { derived } = item;
  const list = sessions.get(person) ?? [];
  const reachable = candidates(person);
  const brings =
    derived.utm_source !== undefined || derived.utm_medium !== undefined || derived.utm_campaign !== undefined;
  // The session the event falls inside, else the nearest one within the inactivity gap
  // (a person merged from two devices may have sessions that overlap); on a tie, the one
  // that ended last.
  let session: SessionState | undefined;
  let nearest = gap;
  for (const s of reachable) {
    const distance = at < s.startedAt ? s.startedAt - at : at > s.endedAt ? at - s.endedAt : 0;
    if (distance < nearest || (distance === nearest && (!session || s.endedAt > session.endedAt))) {
      session = s;
      nearest = distance;
    }
  }
  const changesCampaign =
    session !== undefined &&
    brings &&
    at > session.endedAt &&
    ((derived.utm_source ?? null) !== session.utm.source ||
      (derived.utm_medium ?? null) !== session.utm.medium ||
      (derived.utm_campaign ?? null) !== session.utm.campaign);
  const isPage = item.event.type === 'page' || item.event.type === 'screen';
  const page =
    derived.page_path ?? derived.page_url ?? (isPage ? ((item.event as { name?: string }).name ?? null) : null);
  if (!session || changesCampaign) {
    session = {
      sessionId: deterministicUuid(tenantId, person, item.event.event_id),
      personId: person,
      startedAt: at,
      endedAt: at,
      pageViews: 0,
      events: 0,
      landingPage: isPage ? page : null,
      entryChannel: derived.channel ?? 'direct',
      utm: utmOf(item),
      touched: true,
      stored: false,
    };
    list.push(session);
    sessions.set(person, list);
    item.opensSession = true;
  } else if (at < session.startedAt) {
    session.startedAt = at;
    session.entryChannel = derived.channel ?? session.entryChannel;
    session.utm = utmOf(item);
    if (isPage) session.landingPage = page;
  }
  if (isPage && session.landingPage === null) session.landingPage = page;
  session.endedAt = Math.max(session.endedAt, at);
  session.events += 1;
  if (isPage) session.pageViews += 1;
  session.touched = true;
  derived.session_id = session.sessionId;
  derived.session_channel = session.entryChannel;
}

function utmOf(item: PipelineEvent): SessionState['utm'] {
  const d = item.derived;
  return {
    source: d.utm_source ?? null,
    medium: d.utm_medium ?? null,
    campaign: d.utm_campaign ?? null,
    term: d.utm_term ?? null,
    content: d.utm_content ?? null,
  };
}

async function loadSessions(
  tx: Tx,
  tenantId: string,
  items: PipelineEvent[],
  gap: number,
  absorbed: readonly { from: string }[],
): Promise<Map<string, SessionState[]>> {
  const persons = [...new Set([...items.map((i) => i.derived.person_id as string), ...absorbed.map((m) => m.from)])];
  const earliest = Math.min(...items.map((i) => Date.parse(i.event.timestamp))) - gap;
  // Times as epoch milliseconds: parsing timestamptz text into Dates cost more than the rest of the read.
  const { rows } = await probeEach<
    Omit<Selectable<Tables['sessions']>, 'tenant_id' | 'started_at' | 'ended_at'> & {
      started_ms: number;
      ended_ms: number;
    }
  >(
    persons,
    'uuid',
    (person) => sql`
      SELECT session_id, person_id, (extract(epoch FROM started_at) * 1000)::float8 AS started_ms,
             (extract(epoch FROM ended_at) * 1000)::float8 AS ended_ms, page_views, events, landing_page, entry_channel,
             utm_source, utm_medium, utm_campaign, utm_term, utm_content
      FROM sessions WHERE tenant_id = ${tenantId} AND person_id = ${person} AND ended_at >= ${new Date(earliest)}`,
  ).execute(tx);
  const sessions = new Map<string, SessionState[]>();
  for (const r of rows) {
    const list = sessions.get(r.person_id) ?? [];
    list.push({
      sessionId: r.session_id,
      personId: r.person_id,
      startedAt: r.started_ms,
      endedAt: r.ended_ms,
      pageViews: r.page_views,
      events: r.events,
      landingPage: r.landing_page,
      entryChannel: r.entry_channel,
      utm: {
        source: r.utm_source,
        medium: r.utm_medium,
        campaign: r.utm_campaign,
        term: r.utm_term,
        content: r.utm_content,
      },
      touched: false,
      stored: true,
    });
    sessions.set(r.person_id, list);
  }
  return sessions;
}

/**
 * New sessions are inserted, stored ones updated: one upsert of them all cost PostgreSQL a
 * quarter more (1.7 against 1.4 s per 300,000 events). No other batch writes these rows
 * meanwhile: their persons are locked, and a new session's id comes from an event this
 * batch is the first to process. Only an event sent again after the dedupe window can find
 * its session stored already: that row stays as it is.
 */
async function save(tx: Tx, tenantId: string, sessions: SessionState[]): Promise<void> {
  const fresh = sessions.filter((s) => !s.stored);
  const stored = sessions.filter((s) => s.stored);
  if (fresh.length > 0)
    await sql`
      INSERT INTO sessions (tenant_id, session_id, person_id, started_at, ended_at, page_views, events, landing_page,
                            entry_channel, utm_source, utm_medium, utm_campaign, utm_term, utm_content)
      SELECT ${tenantId}, * FROM ${sessionRows(fresh)}
      ON CONFLICT DO NOTHING`.execute(tx);
  if (stored.length > 0)
    await sql`
      UPDATE sessions AS s SET
        person_id = u.person_id, started_at = u.started_at, ended_at = u.ended_at, page_views = u.page_views,
        events = u.events, landing_page = u.landing_page, entry_channel = u.entry_channel, utm_source = u.utm_source,
        utm_medium = u.utm_medium, utm_campaign = u.utm_campaign, utm_term = u.utm_term, utm_content = u.utm_content
      FROM ${sessionRows(stored)}
      WHERE s.tenant_id = ${tenantId} AND s.session_id = u.session_id`.execute(tx);
}

/** The sessions as a relation `u` with the table's columns after tenant_id, in its order. */
function sessionRows(sessions: readonly SessionState[]) {
  const column = <T>(pick: (s: SessionState) => T) => sessions.map(pick);
  return sql`unnest(
      ${column((s) => s.sessionId)}::uuid[], ${column((s) => s.personId)}::uuid[],
      ${column((s) => new Date(s.startedAt).toISOString())}::timestamptz[], ${column((s) => new Date(s.endedAt).toISOString())}::timestamptz[],
      ${column((s) => s.pageViews)}::int[], ${column((s) => s.events)}::int[], ${column((s) => s.landingPage)}::text[],
      ${column((s) => s.entryChannel)}::text[], ${column((s) => s.utm.source)}::text[], ${column((s) => s.utm.medium)}::text[],
      ${column((s) => s.utm.campaign)}::text[], ${column((s) => s.utm.term)}::text[], ${column((s) => s.utm.content)}::text[])
    AS u(session_id, person_id, started_at, ended_at, page_views, events, landing_page, entry_channel,
         utm_source, utm_medium, utm_campaign, utm_term, utm_content)`;
}

/** Replayed events get their session back, and its entry channel as it is now. */
async function restoreReplayed(tx: Tx, items: readonly PipelineEvent[]): Promise<void> {
  const channels = new Map<string, string>();
  for (const [tenantId, ids] of sessionsByTenant(items)) {
    const { rows } = await probeEach<{ session_id: string; entry_channel: string }>(
      ids,
      'uuid',
      (id) => sql`SELECT session_id, entry_channel FROM sessions WHERE tenant_id = ${tenantId} AND session_id = ${id}`,
    ).execute(tx);
    for (const row of rows) channels.set(row.session_id, row.entry_channel);
  }
  for (const item of items) {
    const sessionId = item.replayOf?.session_id as string;
    item.derived.session_id = sessionId;
    const channel = channels.get(sessionId);
    if (channel) item.derived.session_channel = channel;
  }
}

function sessionsByTenant(items: readonly PipelineEvent[]): Map<string, string[]> {
  const ids = new Map<string, Set<string>>();
  for (const item of items) {
    const set = ids.get(item.event.tenant_id) ?? new Set<string>();
    set.add(item.replayOf?.session_id as string);
    ids.set(item.event.tenant_id, set);
  }
  return new Map([...ids].map(([tenant, set]) => [tenant, [...set]]));
}
