import { Counter, Histogram, Registry } from 'prom-client'
import type { GossipMetrics, TopicKind, Verdict } from '../network/gossip.js'

/**
 * Creates the node's own Prometheus metrics. Label values come from small
 * fixed sets (topic kinds, verdicts, reason codes), never from tx ids or peer ids.
 */
export function createNodeMetrics (registry: Registry) {
  const registers = [registry]
  const verdicts = new Counter({
    name: 'poh_gossip_verdicts_total',
    help: 'Inbound gossip messages by topic, verdict and reason',
    labelNames: ['topic', 'verdict', 'reason'] as const,
    registers
  })
  const graylist = new Counter({
    name: 'poh_gossip_graylist_disconnects_total',
    help: 'Peers disconnected for a score below the graylist threshold',
    registers
  })
  const metrics = {
    requests: new Counter({ name: 'poh_requests_total', help: 'Requests accepted and stored', registers }),
    acksIssued: new Counter({ name: 'poh_acks_issued_total', help: 'ACKs signed by this node as a holder', registers }),
    ackVerdicts: new Counter({
      name: 'poh_ack_verdicts_total',
      help: 'Single ACKs by outcome, including ACKs inside batches',
      labelNames: ['result'] as const,
      registers
    }),
    held: new Counter({ name: 'poh_held_total', help: 'Transactions that reached min_poh_required', registers }),
    pendingAckOverflow: new Counter({ name: 'poh_pending_acks_dropped_total', help: 'ACKs dropped from the pending buffer', labelNames: ['cause'] as const, registers }),
    verifySeconds: new Histogram({
      name: 'poh_ack_verify_seconds',
      help: 'Time to verify one ACK signature',
      // Ed25519 verifies in tens of microseconds, ML-DSA-65 in a few hundred.
      buckets: [0.00002, 0.00005, 0.0001, 0.0002, 0.0005, 0.001, 0.005],
      registers
    }),
    gcDeleted: new Counter({ name: 'poh_gc_deleted_total', help: 'Records deleted by garbage collection', labelNames: ['kind'] as const, registers }),
    repairs: new Counter({ name: 'poh_repairs_total', help: 'Transactions handled by repair, by result', labelNames: ['result'] as const, registers }),
    repairRequests: new Counter({
      name: 'poh_repair_requests_total',
      help: 'Repair requests sent (client) and responses sent (server), by result',
      labelNames: ['side', 'result'] as const,
      registers
    }),
    faultyHolderAcks: new Counter({
      name: 'poh_faulty_holder_acks_total',
      help: 'Validly signed ACKs that contradict the payload or an earlier ACK of the same holder; the holder stops counting for that transaction',
      registers
    }),
    failovers: new Counter({
      name: 'poh_failover_deadlines_total',
      help: 'Standby deadlines of this holder (replication_factor) by result: not_needed, stepped_in, fetched_and_stepped_in, no_payload, failed',
      labelNames: ['result'] as const,
      registers
    }),
    corruptPayloads: new Counter({ name: 'poh_corrupt_payloads_total', help: 'Stored payloads that no longer hash to their tx_id', registers })
  }
  const gossip: GossipMetrics = {
    verdict: (topic: TopicKind, verdict: Verdict, reason: string) => { verdicts.inc({ topic, verdict, reason }) },
    graylistDisconnect: () => { graylist.inc() }
  }
  return { ...metrics, gossip, verdicts }
}

export type NodeMetrics = ReturnType<typeof createNodeMetrics>
