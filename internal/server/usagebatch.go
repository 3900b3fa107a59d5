package server

import "entgo.io/ent/dialect"

// usageBatchSize caps how many concurrent recordUsage calls share one transaction (see
// db.Batcher). Bigger batches amortise more but make every caller in them wait for all of them;
// at 128 a full batch still commits in a few milliseconds.
const usageBatchSize = 128

// usageBatchWorkers is how many usage batches commit at once: one on SQLite, which has a single
// writer; a few on PostgreSQL, where one batch's round trips and WAL flush overlap another's.
func usageBatchWorkers(dia string) int {
	if dia == dialect.SQLite {
		return 1
	}
	return 4
}
