// Command fakeyookassa serves yookassatest's fake YooKassa API as a process, for the console's
// end-to-end tests (web/e2e), whose steward is a separate binary. It prints one JSON line,
// {"api": "<YOOKASSA_API_URL>", "control": "<url>"}, and serves until it is terminated. The control
// server plays the payer: POST <control>/succeed?id=<payment id> marks a payment paid.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/steward-dev/steward/internal/payments"
	"github.com/steward-dev/steward/internal/payments/yookassa/yookassatest"
)

func main() {
	shop := flag.String("shop", "shop-1", "the shop id the fake accepts")
	secret := flag.String("secret", "test_secret", "the secret key the fake accepts")
	flag.Parse()

	fake := yookassatest.NewServer(*shop, *secret)
	defer fake.Close()

	mux := http.NewServeMux()
	mux.HandleFunc("POST /succeed", func(w http.ResponseWriter, r *http.Request) {
		if err := fake.SetStatus(r.URL.Query().Get("id"), payments.Succeeded); err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	control := &http.Server{Handler: mux}
	go func() { _ = control.Serve(ln) }()

	line, _ := json.Marshal(map[string]string{"api": fake.URL(), "control": "http://" + ln.Addr().String()})
	fmt.Println(string(line))

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	_ = control.Shutdown(context.Background())
}
