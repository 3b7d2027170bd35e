import { sql } from 'kysely';
import { probeEach } from '../../db/probe-each.ts';
import type { StoredEvent } from '../../events/canonical-event.ts';
import { claim } from '../claims.ts';
import { deterministicUuid } from '../deterministic-id.ts';
import { OK, type PipelineEvent, type Step, type StepContext, type StepOutcome } from '../pipeline-event.ts';
import { LOCK_DISTINCT_IDS, LOCK_PERSONS, type Tx } from '../state.ts';

export interface IdentityOptions {
  /** An anonymous id seen with more users than this is a shared device: never merged again. */
  readonly sharedAnonymousThreshold: number;
  /** Told when an event would have merged two identified people (needs an explicit alias). */
  readonly onRefusedMerge?: (details: { tenantId: string; eventId: string; kept: string; other: string }) => void;
}

interface Person {
  userId: string | null;
  mergedInto: string | null;
}

/**
 * The identity graph. Every distinct id (`a:` anonymous id, `u:` user id) belongs to one
 * person, and every event gets that person's id. identify links an anonymous id to the
 * user; an anonymous person becomes the user's, or merges into the user's person. Two
 * identified people merge only through an explicit alias; an anonymous id shared by more
 * users than the threshold is never merged (PostHog's merge pitfalls, avoided).
 * An event carries the person it had when processed (a later merge does not rewrite it:
 * persons.merged_into maps merged ids), so results never depend on batch sizes.
 * Distinct ids, then persons, are locked for the transaction (advisory locks, in order),
 * so partitions processed in parallel never race on one person.
 */
export function createIdentityStep(options: IdentityOptions): Step {
  return {
    name: 'identity',
    async run(events, { tx, merges }) {
      for (const item of events) {
        if (item.replayOf?.person_id) item.derived.person_id = item.replayOf.person_id;
      }
      const byTenant = new Map<string, PipelineEvent[]>();
      for (const item of events) {
        if (item.replayOf) continue;
        const list = byTenant.get(item.event.tenant_id) ?? [];
        list.push(item);
        byTenant.set(item.event.tenant_id, list);
      }
      for (const [tenantId, items] of byTenant) await resolveTenant(tx, tenantId, items, options, merges);
      return events.map((): StepOutcome => OK);
    },
  };
}

function distinctIdsOf(event: StoredEvent): string[] {
  const ids: string[] = [];
  if (event.user_id !== undefined) ids.push(`u:${event.user_id}`);
  if (event.anonymous_id !== undefined) ids.push(`a:${event.anonymous_id}`);
  if (event.type === 'alias') ids.push(`u:${event.previous_id}`, `a:${event.previous_id}`);
  return ids;
}

async function resolveTenant(
  tx: Tx,
  tenantId: string,
  items: PipelineEvent[],
  options: IdentityOptions,
  batchMerges: StepContext['merges'],
): Promise<void> {
  const distinct = [...new Set(items.flatMap((item) => distinctIdsOf(item.event)))];
  // An anonymous id reaches the pipeline through one partition only (it is the partition
  // key), so only user ids (and ids an alias names) can be touched by two workers at once.
  const aliased = new Set(items.flatMap((i) => (i.event.type === 'alias' ? [`a:${i.event.previous_id}`] : [])));
  await lock(
    tx,
    LOCK_DISTINCT_IDS,
    tenantId,
    distinct.filter((d) => d.startsWith('u:') || aliased.has(d)),
  );
  const { rows: links } = await probeEach<{ distinct_id: string; person_id: string }>(
    distinct,
    'text',
    (id) => sql`SELECT distinct_id, person_id FROM person_ids WHERE tenant_id = ${tenantId} AND distinct_id = ${id}`,
  ).execute(tx);
  const ids = new Map(links.map((l) => [l.distinct_id, l.person_id]));
  const known = [...new Set(ids.values())];
  const loadPersons = async (which: readonly string[]) =>
    (
      await probeEach<{ person_id: string; user_id: string | null; merged_into: string | null }>(
        which,
        'uuid',
        (id) =>
          sql`SELECT person_id, user_id, merged_into FROM persons WHERE tenant_id = ${tenantId} AND person_id = ${id}`,
      ).execute(tx)
    ).rows;
  const persons = new Map<string, Person>();
  for (const p of await loadPersons(known)) persons.set(p.person_id, { userId: p.user_id, mergedInto: p.merged_into });
  // Identified people may have devices in several partitions: lock them, then read them again.
  const shared = [...persons.entries()].filter(([, p]) => p.userId !== null).map(([id]) => id);
  await lock(tx, LOCK_PERSONS, tenantId, shared);
  for (const p of await loadPersons(shared)) persons.set(p.person_id, { userId: p.user_id, mergedInto: p.merged_into });
  const anonymousIds = [...new Set(items.map((i) => i.event.anonymous_id).filter((a): a is string => a !== undefined))];
  const { rows: seen } = await probeEach<{ anonymous_id: string; user_id: string }>(
    anonymousIds,
    'text',
    (id) =>
      sql`SELECT anonymous_id, user_id FROM anonymous_users WHERE tenant_id = ${tenantId} AND anonymous_id = ${id}`,
  ).execute(tx);
  const usersOf = new Map<string, Set<string>>();
  for (const row of seen) usersOf.set(row.anonymous_id, (usersOf.get(row.anonymous_id) ?? new Set()).add(row.user_id));

  // What the batch changes, written once at the end.
  const created = new Map<string, string | null>();
  const identified = new Map<string, string>();
  const linked = new Map<string, string>();
  const merges: { from: string; to: string }[] = [];
  const newPairs: { anonymousId: string; userId: string }[] = [];

  const personOf = (distinctId: string): string | undefined => {
    let person = ids.get(distinctId);
    for (let hops = 0; person && persons.get(person)?.mergedInto && hops < 16; hops++) {
      person = persons.get(person)?.mergedInto ?? person;
    }
    return person;
  };
  const link = (distinctId: string, person: string) => {
    ids.set(distinctId, person);
    linked.set(distinctId, person);
  };
  const create = (seed: string, userId: string | null): string => {
    const person = deterministicUuid(tenantId, seed);
    persons.set(person, { userId, mergedInto: null });
    created.set(person, userId);
    link(seed, person);
    return person;
  };
  const merge = (from: string, to: string) => {
    if (from === to) return;
    merges.push({ from, to });
    const target = persons.get(to) as Person;
    const source = persons.get(from) as Person;
    if (!target.userId && source.userId) {
      target.userId = source.userId;
      identified.set(to, source.userId);
    }
    source.mergedInto = to;
    for (const [distinctId, person] of ids) if (person === from) ids.set(distinctId, to);
  };
  const identify = (person: string, userId: string) => {
    (persons.get(person) as Person).userId = userId;
    identified.set(person, userId);
  };

  for (const item of items) {
    const event = item.event;
    const user = event.user_id;
    const anonymous = event.anonymous_id;
    let person: string;
    if (event.type === 'alias') {
      // An explicit alias may merge anyone: previous_id's person folds into user_id's.
      const target = personOf(`u:${event.user_id}`) ?? create(`u:${event.user_id}`, event.user_id);
      const previous = personOf(`u:${event.previous_id}`) ?? personOf(`a:${event.previous_id}`);
      if (previous) merge(previous, target);
      else {
        // Not seen yet (its events may sit in another partition): whichever kind of id it
        // turns out to be, it is this person's.
        link(`u:${event.previous_id}`, target);
        link(`a:${event.previous_id}`, target);
      }
      if (anonymous !== undefined && !personOf(`a:${anonymous}`)) link(`a:${anonymous}`, target);
      person = target;
    } else if (user !== undefined && anonymous !== undefined) {
      const users = usersOf.get(anonymous) ?? new Set<string>();
      if (!users.has(user)) {
        users.add(user);
        usersOf.set(anonymous, users);
        newPairs.push({ anonymousId: anonymous, userId: user });
      }
      const shared = users.size > options.sharedAnonymousThreshold;
      const ofUser = personOf(`u:${user}`);
      const ofAnonymous = shared ? undefined : personOf(`a:${anonymous}`);
      if (ofUser && ofAnonymous && ofUser !== ofAnonymous) {
        const other = persons.get(ofAnonymous) as Person;
        if (!other.userId) merge(ofAnonymous, ofUser);
        else options.onRefusedMerge?.({ tenantId, eventId: event.event_id, kept: ofUser, other: ofAnonymous });
        person = ofUser;
      } else if (ofUser) {
        if (!shared && !ids.has(`a:${anonymous}`)) link(`a:${anonymous}`, ofUser);
        person = ofUser;
      } else if (ofAnonymous && !(persons.get(ofAnonymous) as Person).userId) {
        identify(ofAnonymous, user);
        link(`u:${user}`, ofAnonymous);
        person = ofAnonymous;
      } else {
        person = create(`u:${user}`, user);
        if (!shared && !ids.has(`a:${anonymous}`)) link(`a:${anonymous}`, person);
      }
    } else if (user !== undefined) {
      person = personOf(`u:${user}`) ?? create(`u:${user}`, user);
    } else {
      const id = `a:${anonymous}`;
      person = personOf(id) ?? create(id, null);
    }
    item.derived.person_id = person;
  }

  for (const [distinctId, person] of linked) linked.set(distinctId, personOfPerson(persons, person));
  // State of the batch goes to each event's person first; the merges run once it is written
  // (see the batch processor), so a merge moves the same state whatever the batch boundaries.
  for (const merge of merges) batchMerges.push({ tenantId, ...merge });
  await write(tx, tenantId, { created, identified, linked, merges, newPairs });
}

function personOfPerson(persons: Map<string, Person>, person: string): string {
  let current = person;
  for (let hops = 0; persons.get(current)?.mergedInto && hops < 16; hops++)
    current = persons.get(current)?.mergedInto as string;
  return current;
}

async function lock(tx: Tx, space: number, tenantId: string, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await sql`
    SELECT pg_advisory_xact_lock(${space}::int, h)
    FROM (SELECT DISTINCT hashtext(${tenantId} || ':' || k) AS h FROM unnest(${keys}::text[]) AS k) AS locks
    ORDER BY h`.execute(tx);
}

async function write(
  tx: Tx,
  tenantId: string,
  changes: {
    created: Map<string, string | null>;
    identified: Map<string, string>;
    linked: Map<string, string>;
    merges: { from: string; to: string }[];
    newPairs: { anonymousId: string; userId: string }[];
  },
): Promise<void> {
  // Persons and links are new as far as the batch read: see claim. An alias in another
  // partition may link one of this partition's anonymous ids meanwhile (it is not locked
  // here): the batch then runs again and follows that link.
  if (changes.created.size > 0) {
    await claim(
      sql`
        INSERT INTO persons (tenant_id, person_id, user_id)
        SELECT ${tenantId}, p, u FROM unnest(${[...changes.created.keys()]}::uuid[], ${[...changes.created.values()]}::text[]) AS n(p, u)`.execute(
        tx,
      ),
      'persons_pkey',
    );
  }
  if (changes.identified.size > 0) {
    const identified = [...changes.identified.entries()];
    // Driven by the primary key (= ANY): a join to the unnested pairs was planned as a scan
    // of the tenant's persons whenever statistics lagged a fast-growing table.
    const ids = identified.map(([p]) => p);
    await sql`
      UPDATE persons SET user_id = (
        SELECT i.user_id FROM unnest(${ids}::uuid[], ${identified.map(([, u]) => u)}::text[]) AS i(person_id, user_id)
        WHERE i.person_id = persons.person_id)
      WHERE persons.tenant_id = ${tenantId} AND persons.person_id = ANY(${ids}::uuid[]) AND persons.user_id IS NULL`.execute(
      tx,
    );
  }
  if (changes.linked.size > 0) {
    // After the merges, so links made early in the batch to a merged person follow it.
    const final = [...changes.linked.entries()];
    await claim(
      sql`
        INSERT INTO person_ids (tenant_id, distinct_id, person_id)
        SELECT ${tenantId}, d, p FROM unnest(${final.map(([d]) => d)}::text[], ${final.map(([, p]) => p)}::uuid[]) AS l(d, p)`.execute(
        tx,
      ),
      'person_ids_pkey',
    );
  }
  if (changes.newPairs.length > 0) {
    await sql`
      INSERT INTO anonymous_users (tenant_id, anonymous_id, user_id)
      SELECT ${tenantId}, a, u FROM unnest(${changes.newPairs.map((p) => p.anonymousId)}::text[], ${changes.newPairs.map((p) => p.userId)}::text[]) AS n(a, u)
      ON CONFLICT DO NOTHING`.execute(tx);
  }
}
