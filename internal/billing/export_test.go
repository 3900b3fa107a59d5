package billing

// WaitRenewals waits for the background renewals started so far (tests).
func (l *Leases) WaitRenewals() { l.renewals.Wait() }

// SetDeferBatches turns the deferred writes of usage batches on or off (see usageBatch).
func (s *Service) SetDeferBatches(on bool) { s.deferBatches = on }
