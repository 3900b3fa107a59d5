// Live usage: every user's usage as it is recorded (usageUpdated) against their quota, and quota
// alerts at 80 % and 100 % (quotaAlert), both pushed over graphql-ws.
import { useSubscription } from 'urql';
import { graphql } from '../../gql';
import type { ConsoleLiveUsageSubscription, ConsoleQuotaAlertsSubscription } from '../../gql/graphql';
import { ErrorMessage } from '../errors';

const Usage = graphql(`
  subscription ConsoleLiveUsage {
    usageUpdated { userId metric amount used limit remaining percentage }
  }
`);

const Alerts = graphql(`
  subscription ConsoleQuotaAlerts {
    quotaAlert { userId metric threshold used limit at }
  }
`);

type Update = ConsoleLiveUsageSubscription['usageUpdated'];
type Alert = ConsoleQuotaAlertsSubscription['quotaAlert'];

export function LiveUsage() {
  // The latest figures per user and metric, most recently changed first.
  const [usage] = useSubscription<ConsoleLiveUsageSubscription, Update[]>({ query: Usage }, (prev = [], d) => [
    d.usageUpdated,
    ...prev.filter((u) => u.userId !== d.usageUpdated.userId || u.metric !== d.usageUpdated.metric),
  ].slice(0, 100));
  const [alerts] = useSubscription<ConsoleQuotaAlertsSubscription, Alert[]>({ query: Alerts }, (prev = [], d) =>
    [d.quotaAlert, ...prev].slice(0, 50),
  );
  return (
    <section aria-labelledby="live-title">
      <h1 id="live-title">Live usage</h1>
      <ErrorMessage error={usage.error ?? alerts.error} />
      <p className="count">Updates appear here as usage is recorded.</p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr><th>User</th><th>Metric</th><th>Last</th><th>Used</th><th>Limit</th><th>Quota</th></tr>
          </thead>
          <tbody aria-live="polite">
            {(usage.data ?? []).map((u) => (
              <tr key={`${u.userId}/${u.metric}`} data-usage={`${u.userId}/${u.metric}`}>
                <td>{u.userId.slice(0, 8)}</td>
                <td>{u.metric.toLowerCase()}</td>
                <td>+{u.amount}</td>
                <td data-used>{u.used}</td>
                <td>{u.limit ?? 'unlimited'}</td>
                <td>
                  {u.percentage != null && (
                    <meter min={0} max={100} low={80} high={99} optimum={0} value={Math.min(100, u.percentage)}>
                      {u.percentage.toFixed(0)} %
                    </meter>
                  )}{' '}
                  {u.percentage != null ? `${u.percentage.toFixed(0)} %` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Quota alerts</h2>
      <ul className="alerts" aria-live="polite">
        {(alerts.data ?? []).map((a, i) => (
          <li key={i} data-alert={a.threshold}>
            <time dateTime={a.at}>{new Date(a.at).toLocaleTimeString()}</time> {a.userId.slice(0, 8)} reached {a.threshold} % of{' '}
            {a.metric.toLowerCase()} ({a.used} of {a.limit})
          </li>
        ))}
      </ul>
    </section>
  );
}
