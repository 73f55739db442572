import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { auditChainHeads, auditCheckpoints, auditEvents, users } from '../schema.ts';
import type { ChainRow, Checkpoint } from '../../domain/audit/chain.ts';
import { rolesArray } from './roles-sql.ts';
import { rolesThat } from '../../domain/access/policy.ts';

/** The audit chains, read whole for verification and signed at checkpoints. Privileged: every partnership. */
export function auditChainRepository(db: Executor) {
  const at = sql<string>`to_char(${auditEvents.at} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  return {
    async heads() {
      return db.select().from(auditChainHeads).orderBy(asc(auditChainHeads.chain));
    },

    /** A chain's rows after a place, in order, with their content as the database renders it now. */
    async rows(chain: string, afterSeq: number, limit: number): Promise<ChainRow[]> {
      const rows = await db
        .select({
          id: auditEvents.id,
          chain: auditEvents.chain,
          seq: auditEvents.chainSeq,
          at,
          prevHash: auditEvents.prevHash,
          rowHash: auditEvents.rowHash,
          content: sql<string>`audit_event_content(${auditEvents})`,
        })
        .from(auditEvents)
        .where(and(eq(auditEvents.chain, chain), gt(auditEvents.chainSeq, afterSeq)))
        .orderBy(asc(auditEvents.chainSeq), asc(auditEvents.id))
        .limit(limit);
      return rows.map((r) => ({ ...r, id: Number(r.id), seq: r.seq === null ? null : Number(r.seq) }));
    },

    /** Rows that are in no chain: written with the chaining trigger switched off. */
    async unchained(limit = 10) {
      return db
        .select({ id: auditEvents.id })
        .from(auditEvents)
        .where(isNull(auditEvents.chainSeq))
        .orderBy(asc(auditEvents.id))
        .limit(limit);
    },

    /** The first row of each chain written on or after a time: where `verify --from` starts. */
    async firstFrom(chain: string, from: Date) {
      const [row] = await db
        .select({ seq: auditEvents.chainSeq, prevHash: auditEvents.prevHash, at })
        .from(auditEvents)
        .where(and(eq(auditEvents.chain, chain), sql`${auditEvents.at} >= ${from}`))
        .orderBy(asc(auditEvents.chainSeq))
        .limit(1);
      return row && row.seq !== null && row.prevHash !== null
        ? { seq: Number(row.seq), hash: row.prevHash }
        : null;
    },

    async checkpoints(chain: string): Promise<Checkpoint[]> {
      const rows = await db
        .select()
        .from(auditCheckpoints)
        .where(eq(auditCheckpoints.chain, chain))
        .orderBy(asc(auditCheckpoints.seq));
      return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
    },

    async addCheckpoint(c: Checkpoint) {
      await db.insert(auditCheckpoints).values(c);
    },

    /** The partnership's administrators, told when its chain breaks. */
    async administrators(partnershipId: string) {
      return db
        .select({ email: users.email })
        .from(users)
        .where(
          and(
            eq(users.partnershipId, partnershipId),
            sql`${users.roles} && ${rolesArray(rolesThat('audit-log.read'))}`,
            isNull(users.disabledAt),
          ),
        );
    },
  };
}
