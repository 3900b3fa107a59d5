// The analytics dashboard over a chosen range of months (the last twelve by default): MRR and ARR
// by month, MRR movements (new, expansion, reactivated, contraction, churned) per month, churn,
// revenue by month and usage day by day, with complimentary subscriptions on their own line. It
// reloads the figures when usage is recorded (usageUpdated), so it changes without a page reload.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useQuery, useSubscription } from 'urql';
import { graphql } from '../../gql';
import type { ConsoleOverviewQuery } from '../../gql/graphql';
import { ErrorMessage, FieldError, fieldErrors } from '../errors';
import { Chart, type Series } from '../Chart';

const Overview = graphql(`
  query ConsoleOverview($from: Time!, $to: Time!) {
    billingOverview(from: $from, to: $to) {
      at
      mrr { amount currency }
      arr { amount currency }
      newSubscriptions canceledSubscriptions activeAtStart activeAtEnd churnRate
      trialsEnded trialsConverted trialConversionRate
      complimentary { subscriptions mrr { amount currency } }
      revenue { amount currency }
      revenueByMonth { month amounts { amount currency } }
      usage { metric total }
      usageByDay { day totals { metric total } }
      customers {
        months {
          month
          currencies {
            currency
            startMrr { amount } endMrr { amount }
            new { amount } reactivated { amount } expansion { amount } contraction { amount } churned { amount } net { amount }
            newCustomers reactivatedCustomers expansionCustomers contractionCustomers churnedCustomers
          }
        }
        payingAtEnd { currency customers }
      }
    }
  }
`);

const UsageTick = graphql(`
  subscription ConsoleDashboardUsage {
    usageUpdated { userId metric amount }
  }
`);

/** monthValue is "YYYY-MM" of a date in UTC, the value of an <input type="month">. */
const monthValue = (d: Date) => `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;

/** defaultMonths is the last twelve months, this one included, as <input type="month"> values. */
export function defaultMonths(now: Date): { from: string; to: string } {
  return { from: monthValue(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1))), to: monthValue(now) };
}

/** rangeOf turns the first and last month chosen into [the first's first day, the day after the last). */
export function rangeOf(fromMonth: string, toMonth: string): { from: string; to: string } | null {
  const m = /^(\d{4})-(\d{2})$/;
  const a = m.exec(fromMonth);
  const b = m.exec(toMonth);
  if (!a || !b) return null;
  const from = new Date(Date.UTC(Number(a[1]), Number(a[2]) - 1, 1));
  const to = new Date(Date.UTC(Number(b[1]), Number(b[2]), 1));
  return { from: from.toISOString(), to: to.toISOString() };
}

const money = (list: { amount: string; currency: string }[]) =>
  list.length ? list.map((m) => `${m.amount} ${m.currency}`).join(' + ') : '0';

type O = ConsoleOverviewQuery['billingOverview'];

/** movementSeries is one currency's MRR movements per month, as chart series. */
export function movementSeries(o: O, currency: string): { labels: string[]; series: Series[]; mrr: Series[] } {
  const months = o.customers.months;
  const of = (m: O['customers']['months'][number]) => m.currencies.find((c) => c.currency === currency);
  const pick = (f: (c: NonNullable<ReturnType<typeof of>>) => string) => months.map((m) => { const c = of(m); return c ? Number(f(c)) : 0; });
  const end = pick((c) => c.endMrr.amount);
  return {
    labels: months.map((m) => m.month),
    series: [
      { label: 'new', values: pick((c) => c.new.amount) },
      { label: 'expansion', values: pick((c) => c.expansion.amount) },
      { label: 'reactivated', values: pick((c) => c.reactivated.amount) },
      { label: 'contraction', values: pick((c) => c.contraction.amount).map((v) => -v) },
      { label: 'churned', values: pick((c) => c.churned.amount).map((v) => -v) },
    ],
    mrr: [{ label: `MRR ${currency}`, values: end }, { label: `ARR ${currency}`, values: end.map((v) => Math.round(v * 12 * 100) / 100) }],
  };
}

export function Dashboard() {
  const [months, setMonths] = useState(() => defaultMonths(new Date()));
  const range = useMemo(() => rangeOf(months.from, months.to), [months]);
  const [result, refetch] = useQuery({ query: Overview, variables: range ?? { from: '', to: '' }, pause: !range, requestPolicy: 'cache-and-network' });
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
  const currencies = useMemo(() => (o ? [...new Set(o.customers.months.flatMap((m) => m.currencies.map((c) => c.currency)))] : []), [o]);
  const [picked, setPicked] = useState('');
  const currency = currencies.includes(picked) ? picked : currencies[0] ?? '';
  const movements = useMemo(() => (o && currency ? movementSeries(o, currency) : null), [o, currency]);
  const revenue = useMemo(() => {
    if (!o) return null;
    const cs = [...new Set(o.revenueByMonth.flatMap((m) => m.amounts.map((a) => a.currency)))];
    const series: Series[] = cs.map((c) => ({
      label: c,
      values: o.revenueByMonth.map((m) => Number(m.amounts.find((a) => a.currency === c)?.amount ?? 0)),
    }));
    return { labels: o.revenueByMonth.map((m) => m.month), series };
  }, [o]);
  const churn = useMemo(() => {
    if (!o || !currency) return null;
    const months = o.customers.months;
    const c = (m: (typeof months)[number]) => m.currencies.find((x) => x.currency === currency);
    return {
      labels: months.map((m) => m.month),
      series: [
        { label: 'churned customers', values: months.map((m) => c(m)?.churnedCustomers ?? 0) },
        { label: 'new customers', values: months.map((m) => c(m)?.newCustomers ?? 0) },
      ],
    };
  }, [o, currency]);
  const usageByDay = useMemo(() => {
    if (!o) return null;
    // Metrics never used in the range would be flat lines at zero: leave them out.
    const used = o.usage.filter((u) => u.total > 0).map((u) => u.metric);
    const metrics = used.length ? used : ['TOKENS_INPUT'];
    return {
      labels: o.usageByDay.map((d) => d.day.slice(5, 10)),
      series: metrics.map((m) => ({ label: m.toLowerCase(), values: o.usageByDay.map((d) => d.totals.find((t) => t.metric === m)?.total ?? 0) })),
    };
  }, [o]);
  const fields = fieldErrors(result.error);

  return (
    <section aria-labelledby="dash-title">
      <h1 id="dash-title">Analytics</h1>
      <form className="toolbar" aria-label="Range" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="range-from">
          From month
          <input id="range-from" type="month" value={months.from} max={months.to}
            onChange={(e) => setMonths({ ...months, from: e.target.value })} aria-describedby="range-from-error" />
        </label>
        <label htmlFor="range-to">
          To month (included)
          <input id="range-to" type="month" value={months.to} min={months.from}
            onChange={(e) => setMonths({ ...months, to: e.target.value })} aria-describedby="range-to-error" />
        </label>
        {currencies.length > 1 && (
          <label htmlFor="range-currency">
            Currency
            <select id="range-currency" value={currency} onChange={(e) => setPicked(e.target.value)}>
              {currencies.map((c) => <option key={c}>{c}</option>)}
            </select>
          </label>
        )}
        <FieldError id="range-from-error" message={fields.from} />
        <FieldError id="range-to-error" message={fields.to} />
      </form>
      {!range && <p className="field-error" role="alert">Choose a first and a last month.</p>}
      <ErrorMessage error={result.error ?? tick.error} fields={['from', 'to']} />
      {o && (
        <>
          <dl className="tiles">
            <div><dt>MRR</dt><dd data-figure="mrr">{money(o.mrr)}</dd></div>
            <div><dt>ARR</dt><dd data-figure="arr">{money(o.arr)}</dd></div>
            <div><dt>Active subscriptions</dt><dd data-figure="active">{o.activeAtEnd}</dd></div>
            <div><dt>New / canceled</dt><dd>{o.newSubscriptions} / {o.canceledSubscriptions}</dd></div>
            <div><dt>Churn</dt><dd data-figure="churn">{(o.churnRate * 100).toFixed(2)} %</dd></div>
            <div><dt>Trials converted</dt><dd>{o.trialsConverted} of {o.trialsEnded}</dd></div>
            <div><dt>Revenue</dt><dd>{money(o.revenue)}</dd></div>
            <div><dt>Tokens in</dt><dd data-figure="tokens-input">{o.usage.find((u) => u.metric === 'TOKENS_INPUT')?.total ?? 0}</dd></div>
            <div className="complimentary">
              <dt>Complimentary (not in MRR)</dt>
              <dd data-figure="complimentary">
                {o.complimentary.subscriptions} subscription{o.complimentary.subscriptions === 1 ? '' : 's'}
                {o.complimentary.mrr.length > 0 && `, worth ${money(o.complimentary.mrr)} a month`}
              </dd>
            </div>
          </dl>
          <div className="columns">
            {movements ? (
              <>
                <Chart title={`MRR and ARR by month (${currency})`} labels={movements.labels} series={movements.mrr} />
                <Chart title={`MRR movements by month (${currency})`} labels={movements.labels} series={movements.series} bars={false} />
              </>
            ) : (
              <p className="card">No paying customers in this range.</p>
            )}
            {churn && <Chart title={`Customers won and churned by month (${currency})`} labels={churn.labels} series={churn.series} />}
            {revenue && revenue.series.length > 0 ? (
              <Chart title="Revenue by month" labels={revenue.labels} series={revenue.series} bars />
            ) : (
              <p className="card">No payments in this range.</p>
            )}
            {usageByDay && <Chart title="Usage by day" labels={usageByDay.labels} series={usageByDay.series} />}
          </div>
          {movements && <Movements o={o} currency={currency} />}
        </>
      )}
    </section>
  );
}

/** Movements is the movements chart's table: the figures per month, readable without the chart. */
function Movements({ o, currency }: { o: O; currency: string }) {
  return (
    <div className="table-wrap">
      <table data-table="movements">
        <caption>MRR movements ({currency})</caption>
        <thead>
          <tr><th>Month</th><th>Start</th><th>New</th><th>Expansion</th><th>Reactivated</th><th>Contraction</th><th>Churned</th><th>Net</th><th>End</th></tr>
        </thead>
        <tbody>
          {o.customers.months.map((m) => {
            const c = m.currencies.find((x) => x.currency === currency);
            return (
              <tr key={m.month} data-month={m.month}>
                <td>{m.month}</td>
                <td>{c?.startMrr.amount ?? '0'}</td>
                <td data-movement="new">{c ? `${c.new.amount} (${c.newCustomers})` : '0'}</td>
                <td>{c ? `${c.expansion.amount} (${c.expansionCustomers})` : '0'}</td>
                <td>{c ? `${c.reactivated.amount} (${c.reactivatedCustomers})` : '0'}</td>
                <td>{c ? `${c.contraction.amount} (${c.contractionCustomers})` : '0'}</td>
                <td>{c ? `${c.churned.amount} (${c.churnedCustomers})` : '0'}</td>
                <td>{c?.net.amount ?? '0'}</td>
                <td>{c?.endMrr.amount ?? '0'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
