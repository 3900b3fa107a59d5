// The analytics dashboard: MRR, ARR, subscribers and churn over the last twelve months, revenue
// by month and usage by metric as charts. It reloads the figures when usage is recorded
// (usageUpdated), so it changes without a page reload.
import { useEffect, useMemo, useRef } from 'react';
import { useQuery, useSubscription } from 'urql';
import { graphql } from '../../gql';
import { ErrorMessage } from '../errors';
import { Chart, type Series } from '../Chart';

const Overview = graphql(`
  query ConsoleOverview($from: Time!, $to: Time!) {
    billingOverview(from: $from, to: $to) {
      mrr { amount currency }
      arr { amount currency }
      newSubscriptions canceledSubscriptions activeAtStart activeAtEnd churnRate
      revenue { amount currency }
      revenueByMonth { month amounts { amount currency } }
      usage { metric total }
    }
  }
`);

const UsageTick = graphql(`
  subscription ConsoleDashboardUsage {
    usageUpdated { userId metric amount }
  }
`);

/** lastTwelveMonths is [the first day of the month eleven months ago, the first of next month). */
export function lastTwelveMonths(now: Date): { from: string; to: string } {
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1));
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { from: from.toISOString(), to: to.toISOString() };
}

const money = (list: { amount: string; currency: string }[]) =>
  list.length ? list.map((m) => `${m.amount} ${m.currency}`).join(' + ') : '0';

export function Dashboard() {
  const range = useMemo(() => lastTwelveMonths(new Date()), []);
  const [result, refetch] = useQuery({ query: Overview, variables: range, requestPolicy: 'cache-and-network' });
  const [tick] = useSubscription({ query: UsageTick });
  // One reload per burst of usage events: the next one waits for the previous to be scheduled.
  const pending = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (!tick.data || pending.current !== undefined) return;
    pending.current = window.setTimeout(() => {
      pending.current = undefined;
      refetch({ requestPolicy: 'network-only' });
    }, 500);
  }, [tick.data, refetch]);
  useEffect(() => () => window.clearTimeout(pending.current), []);

  const o = result.data?.billingOverview;
  const revenue = useMemo(() => {
    if (!o) return null;
    const currencies = [...new Set(o.revenueByMonth.flatMap((m) => m.amounts.map((a) => a.currency)))];
    const series: Series[] = currencies.map((c) => ({
      label: c,
      values: o.revenueByMonth.map((m) => Number(m.amounts.find((a) => a.currency === c)?.amount ?? 0)),
    }));
    return { labels: o.revenueByMonth.map((m) => m.month), series };
  }, [o]);
  const usage = useMemo(() => {
    if (!o) return null;
    return { labels: o.usage.map((u) => u.metric.toLowerCase()), series: [{ label: 'total', values: o.usage.map((u) => u.total) }] };
  }, [o]);

  return (
    <section aria-labelledby="dash-title">
      <h1 id="dash-title">Analytics</h1>
      <ErrorMessage error={result.error ?? tick.error} />
      {o && (
        <>
          <dl className="tiles">
            <div><dt>MRR</dt><dd data-figure="mrr">{money(o.mrr)}</dd></div>
            <div><dt>ARR</dt><dd>{money(o.arr)}</dd></div>
            <div><dt>Active subscriptions</dt><dd data-figure="active">{o.activeAtEnd}</dd></div>
            <div><dt>New / canceled (12 months)</dt><dd>{o.newSubscriptions} / {o.canceledSubscriptions}</dd></div>
            <div><dt>Churn</dt><dd>{(o.churnRate * 100).toFixed(2)} %</dd></div>
            <div><dt>Revenue (12 months)</dt><dd>{money(o.revenue)}</dd></div>
            <div><dt>Tokens in (12 months)</dt><dd data-figure="tokens-input">{o.usage.find((u) => u.metric === 'TOKENS_INPUT')?.total ?? 0}</dd></div>
          </dl>
          <div className="columns">
            {revenue && revenue.series.length > 0 ? (
              <Chart title="Revenue by month" labels={revenue.labels} series={revenue.series} bars />
            ) : (
              <p className="card">No payments in the last twelve months.</p>
            )}
            {usage && <Chart title="Usage by metric (12 months)" labels={usage.labels} series={usage.series} bars />}
          </div>
        </>
      )}
    </section>
  );
}
