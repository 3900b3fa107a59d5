// The console's GraphQL client: urql over HTTP for queries and mutations, graphql-ws on the same
// /graphql path for subscriptions. Both ride on the httpOnly session cookie that signin sets, so
// the console never holds a token in script-readable storage.
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';
import { createClient as createWSClient } from 'graphql-ws';

export function createConsoleClient(): Client {
  const http = new URL('/graphql', window.location.href);
  const ws = new URL(http);
  ws.protocol = http.protocol === 'https:' ? 'wss:' : 'ws:';
  // lazy: the socket opens with the first subscription and closes after the last one.
  const wsClient = createWSClient({ url: ws.href, lazy: true, retryAttempts: 5 });
  return new Client({
    url: http.href,
    preferGetMethod: false,
    // urql's default Accept lists text/event-stream, which makes the server answer over SSE, where
    // signin cannot set its cookie; the console wants plain JSON responses.
    fetchOptions: {
      credentials: 'same-origin',
      headers: { accept: 'application/graphql-response+json, application/json;q=0.9' },
    },
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || '' };
          return {
            subscribe(sink) {
              return { unsubscribe: wsClient.subscribe(input, sink) };
            },
          };
        },
      }),
    ],
  });
}
