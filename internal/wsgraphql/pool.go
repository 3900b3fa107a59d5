package wsgraphql

import "sync"

// pool runs connections' work on at most max goroutines, started when work arrives and ended
// when there is none: an idle server has no workers.
type pool struct {
	max int

	mu sync.Mutex
	// queue holds the connections waiting for a worker, each at most once (see conn.scheduled).
	queue   []*conn
	running int
}

// submit queues c for a worker without blocking: it is called from event publishers.
func (p *pool) submit(c *conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.queue = append(p.queue, c)
	if p.running < p.max {
		p.running++
		go p.work()
	}
}

func (p *pool) work() {
	for {
		p.mu.Lock()
		if len(p.queue) == 0 {
			p.queue = nil // let an outgrown backing array go
			p.running--
			p.mu.Unlock()
			return
		}
		c := p.queue[0]
		p.queue[0] = nil
		p.queue = p.queue[1:]
		p.mu.Unlock()
		c.run()
	}
}
