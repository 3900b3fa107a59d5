package billing

// WaitRenewals waits for the background renewals started so far (tests).
func (l *Leases) WaitRenewals() { l.renewals.Wait() }
