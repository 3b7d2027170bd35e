import { readdir, readFile } from 'node:fs/promises';

/** Every descendant of `root` (and root), from /proc. */
export async function processTree(root: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
    if (!stat) continue;
    parents.set(pid, Number(statFields(stat)[1]));
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, ppid] of parents) if (ppid === tree[i]) tree.push(pid);
  }
  return tree;
}

/**
 * Resident memory of a process tree with shared memory counted once per process kind:
 * each process's private pages, PostgreSQL's shared buffers once, and the shared pages
 * (libraries) of the others in full. An upper bound; cheap to read from /proc/<pid>/statm.
 */
export async function residentBytes(pids: readonly number[]): Promise<number> {
  const page = 4096;
  let privateBytes = 0;
  let sharedPostgres = 0;
  let sharedOthers = 0;
  for (const pid of pids) {
    const statm = await readFile(`/proc/${pid}/statm`, 'utf8').catch(() => null);
    const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
    if (!statm) continue;
    const [, resident = 0, shared = 0] = statm.trim().split(' ').map(Number);
    privateBytes += (resident - shared) * page;
    if (comm.startsWith('postgres')) sharedPostgres = Math.max(sharedPostgres, shared * page);
    else sharedOthers += shared * page;
  }
  return privateBytes + sharedPostgres + sharedOthers;
}

/** Proportional set size: each shared page split among the processes sharing it (the honest total for a process tree). */
export async function proportionalBytes(pids: readonly number[]): Promise<number> {
  let total = 0;
  for (const pid of pids) {
    const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
    const match = /^Pss:\s+(\d+) kB/m.exec(rollup);
    if (match) total += Number(match[1]) * 1024;
  }
  return total;
}

/** CPU seconds (user + system) used so far by each process, keyed by its command name. */
export async function cpuSecondsByCommand(pids: readonly number[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const pid of pids) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
    if (!stat) continue;
    const { name, seconds } = cpuOf(stat);
    const kind = name.startsWith('postgres')
      ? 'postgres'
      : name.startsWith('temporal')
        ? 'temporal'
        : name === 'MainThread' || name === 'node'
          ? 'node (engine)'
          : name;
    out.set(kind, (out.get(kind) ?? 0) + seconds);
  }
  return out;
}

/**
 * CPU seconds used so far by this process's threads, by role: the JavaScript thread, V8's
 * helpers (garbage collection, compilers), and libuv's pool (file I/O, and native add-ons'
 * work such as DuckDB's queries). Where a process's CPU goes when its JavaScript thread
 * is not the one busy.
 */
export async function cpuSecondsByThread(): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const tid of await readdir('/proc/self/task').catch(() => [])) {
    const stat = await readFile(`/proc/self/task/${tid}/stat`, 'utf8').catch(() => null);
    if (!stat) continue;
    const { name, seconds } = cpuOf(stat);
    const kind =
      Number(tid) === process.pid
        ? 'JavaScript'
        : name.startsWith('V8')
          ? 'V8 helpers'
          : name.startsWith('libuv')
            ? 'libuv pool'
            : 'other';
    out.set(kind, (out.get(kind) ?? 0) + seconds);
  }
  return out;
}

/** A /proc stat line's command name and CPU seconds (utime + stime, in USER_HZ ticks of 1/100 s). */
/**
 * CPU seconds (user + system) a process tree has used so far, those of its ended children
 * included (a server's finished connections, which the living processes no longer show).
 */
export async function cpuSecondsOfTree(root: number): Promise<number> {
  let seconds = 0;
  for (const pid of await processTree(root)) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
    if (!stat) continue;
    seconds += cpuOf(stat).seconds;
    if (pid === root) {
      const fields = statFields(stat);
      seconds += (Number(fields[13]) + Number(fields[14])) / 100;
    }
  }
  return seconds;
}

/** The parent of a process (a PostgreSQL backend's is its server). */
export async function parentOf(pid: number): Promise<number> {
  return Number(statFields(await readFile(`/proc/${pid}/stat`, 'utf8'))[1]);
}

/** The fields of /proc/<pid>/stat after the command name, from the state (field 3) on. */
function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

function cpuOf(stat: string): { name: string; seconds: number } {
  const fields = statFields(stat);
  return {
    name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
    seconds: (Number(fields[11]) + Number(fields[12])) / 100,
  };
}
