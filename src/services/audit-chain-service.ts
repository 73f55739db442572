import { auditChainRepository } from '../db/repositories/audit-chain-repository.ts';
import { auditRepository } from '../db/repositories/audit-repository.ts';
import { outboxRepository } from '../db/repositories/outbox-repository.ts';
import {
  keyIdOf,
  signCheckpoint,
  verifyChain,
  type ChainBreak,
  type ChainRow,
} from '../domain/audit/chain.ts';
import { siteUrl } from './mail/action-emails.ts';
import type { ServiceContext } from './context.ts';

const BATCH = 5_000;

export interface VerifyReport {
  chains: number;
  rows: number;
  breaks: ChainBreak[];
}

/**
 * The audit log proves itself: every chain walked and its hashes recomputed (`verify`), the chains'
 * heads signed with the audit key from time to time (`checkpoint`), and a break told to the
 * partnership's administrators (`verifyAndAlert`, a scheduled job). Privileged work: it reads
 * every partnership's chain and names only row ids and places, never their content.
 */
export function auditChainService(ctx: ServiceContext) {
  const repo = () => auditChainRepository(ctx.system);

  async function verify(options: { key: string | null; from?: Date | undefined }): Promise<VerifyReport> {
    const report: VerifyReport = { chains: 0, rows: 0, breaks: [] };
    const unchained = await repo().unchained(1);
    if (unchained[0])
      report.breaks.push({
        kind: 'inserted',
        chain: '(none)',
        rowId: Number(unchained[0].id),
        seq: null,
        message: `audit row ${unchained[0].id} has no place in any chain: it was inserted behind the application's back`,
      });
    for (const head of await repo().heads()) {
      report.chains += 1;
      const start = options.from ? await repo().firstFrom(head.chain, options.from) : null;
      if (options.from && !start) continue; // nothing written in this chain since then
      const checkpoints = await repo().checkpoints(head.chain);
      let from = start ?? { seq: 0, hash: '0'.repeat(64) };
      let found: ChainBreak | null = null;
      for (;;) {
        const rows: ChainRow[] = await repo().rows(head.chain, from.seq, BATCH);
        if (!rows.length) break;
        found = verifyChain(head.chain, rows, { from });
        report.rows += rows.length;
        if (found) break;
        const last = rows[rows.length - 1]!;
        from = { seq: last.seq!, hash: last.rowHash! };
      }
      // The head and the signed checkpoints, against the chain as walked (from its first place).
      found ??= verifyChain(head.chain, [], {
        from,
        head: { seq: Number(head.seq), hash: head.hash },
      });
      if (!found) found = await checkCheckpoints(head.chain, checkpoints, options.key, start?.seq ?? 0);
      if (found) report.breaks.push(found);
    }
    return report;
  }

  /** Each checkpoint after `afterSeq` against the row at its place, and its signature. */
  async function checkCheckpoints(
    chain: string,
    checkpoints: Awaited<ReturnType<ReturnType<typeof auditChainRepository>['checkpoints']>>,
    key: string | null,
    afterSeq: number,
  ): Promise<ChainBreak | null> {
    for (const checkpoint of checkpoints) {
      if (checkpoint.seq <= afterSeq) continue;
      const [row] = await repo().rows(chain, checkpoint.seq - 1, 1);
      const found = verifyChain(chain, row && row.seq === checkpoint.seq ? [row] : [], {
        from: { seq: checkpoint.seq - 1, hash: row?.prevHash ?? '' },
        checkpoints: [checkpoint],
        key,
      });
      if (found) return found;
    }
    return null;
  }

  return {
    verify,

    /** Signs the head of every chain that has moved since its last checkpoint. */
    async checkpoint(key: string): Promise<number> {
      let signed = 0;
      for (const head of await repo().heads()) {
        const last = (await repo().checkpoints(head.chain)).at(-1);
        if (last && last.seq === Number(head.seq)) continue;
        const point = { chain: head.chain, seq: Number(head.seq), hash: head.hash };
        await repo().addCheckpoint({ ...point, keyId: keyIdOf(key), signature: signCheckpoint(key, point) });
        signed += 1;
      }
      return signed;
    },

    /** Verifies every chain; a break is recorded and told to that partnership's administrators. */
    async verifyAndAlert(key: string | null): Promise<VerifyReport> {
      const report = await verify({ key });
      for (const found of report.breaks) {
        const partnershipId = /^[0-9a-f-]{36}$/.test(found.chain) ? found.chain : null;
        await ctx.system.transaction(async (tx) => {
          await auditRepository(tx).write({
            action: 'audit.verify',
            outcome: 'failure',
            partnershipId,
            subjectType: 'audit-chain',
            subjectId: found.chain,
            detail: { kind: found.kind, rowId: found.rowId, seq: found.seq },
          });
          if (!partnershipId) return;
          for (const admin of await auditChainRepository(tx).administrators(partnershipId))
            await outboxRepository(tx).enqueue({
              partnershipId,
              kind: 'audit.break',
              to: admin.email,
              subject: 'Line of Sight: the audit log failed its integrity check',
              text:
                `The daily check of the audit log found that it no longer holds together: ${found.message}.\n\n` +
                'This can mean the database was changed outside Line of Sight. Keep the database as it is, ' +
                `tell your data protection officer, and run "line-of-sight audit verify" to see the first break.\n\n${siteUrl()}/admin/audit` +
                '\n\nThis message was sent by Line of Sight.',
              dedupeKey: `audit.break:${found.chain}:${found.kind}:${found.rowId ?? found.seq ?? 'end'}:${admin.email.toLowerCase()}`,
            });
        });
      }
      return report;
    },
  };
}

export type AuditChainService = ReturnType<typeof auditChainService>;
