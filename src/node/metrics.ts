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
    corruptPayloads: new Counter({ name: 'poh_corrupt_payloads_total', help: 'Stored payloads that no longer hash to their tx_id', registers }),
    spotChecks: new Counter({
      name: 'poh_spot_checks_total',
      help: 'Spot checks of other holders by holder and result; holder is the first 16 hex characters of holder_id, or "other" beyond the first 256 holders',
      labelNames: ['holder', 'result'] as const,
      registers
    }),
    spotCheckAnswers: new Counter({
      name: 'poh_spot_check_answers_total',
      help: 'Responses of single peers to spot-check challenges this node sent, by verdict',
      labelNames: ['result'] as const,
      registers
    }),
    spotCheckServed: new Counter({
      name: 'poh_spot_check_served_total',
      help: 'Spot-check responses this node sent as a holder, by status',
      labelNames: ['result'] as const,
      registers
    }),
    failovers: new Counter({
      name: 'poh_failover_deadlines_total',
      help: 'Standby deadlines of this holder (replication_factor) by result: not_needed, stepped_in, fetched_and_stepped_in, no_payload, failed',
      labelNames: ['result'] as const,
      registers
    })
  }
  const gossip: GossipMetrics = {
    verdict: (topic: TopicKind, verdict: Verdict, reason: string) => { verdicts.inc({ topic, verdict, reason }) },
    graylistDisconnect: () => { graylist.inc() }
  }
  return { ...metrics, gossip, verdicts }
}

export type NodeMetrics = ReturnType<typeof createNodeMetrics>

/** Label value of holders past the first MAX_HOLDER_LABELS. */
export const OTHER_HOLDERS_LABEL = 'other'

/**
 * Maximum number of holders with a label of their own. An open holder set
 * has no bound on its holders, and every label value is a time series.
 */
export const MAX_HOLDER_LABELS = 256

/**
 * Returns the metric label of a holder: the first 16 hex characters of its
 * holder_id (8 bytes, enough to tell holders apart), for the first
 * MAX_HOLDER_LABELS holders labelled, and "other" after them.
 */
export function holderLabeler (maxLabels = MAX_HOLDER_LABELS): (holderId: Uint8Array) => string {
  const labelled = new Set<string>()
  return (holderId) => {
    const label = Buffer.from(holderId.subarray(0, 8)).toString('hex')
    if (labelled.has(label)) {
      return label
    }
    if (labelled.size >= maxLabels) {
      return OTHER_HOLDERS_LABEL
    }
    labelled.add(label)
    return label
  }
}
