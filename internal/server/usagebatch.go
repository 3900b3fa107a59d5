package server

import "entgo.io/ent/dialect"

// usageBatchSize caps how many concurrent recordUsage calls share one transaction (see
// db.Batcher). Bigger batches amortise more but make every caller in them wait for all of them;
// at 128 a full batch still commits in a few milliseconds.
const usageBatchSize = 128

// usageBatchWorkers is how many usage batches commit at once: one on SQLite, which has a single
// writer; two on PostgreSQL, where one batch's round trips and WAL flush overlap the other's. A
// batch costs a fixed few statements whatever its size (billing's usageBatch), so fewer workers
// make bigger batches and less work per report: at 64 clients, 3,361-4,401 reports/s with one
// worker, 3,561-4,052 with two, 3,116-3,168 with four and 2,273-2,523 with eight (interleaved
// runs of steward-bench usage).
func usageBatchWorkers(dia string) int {
	if dia == dialect.SQLite {
		return 1
	}
	return 2
}
