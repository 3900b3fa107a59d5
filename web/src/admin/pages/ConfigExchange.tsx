// Export and import of the whole configuration: the export as a JSON file (secrets only when
// asked for), and an import that is always previewed first (importConfig's dryRun lists every
// field it would change) and applied only when confirmed.
import { useEffect, useState } from 'react';
import { useClient, type CombinedError } from 'urql';
import { graphql } from '../../gql';
import type { ConsoleImportConfigMutation } from '../../gql/graphql';
import { ErrorMessage } from '../errors';

const Export = graphql(`
  query ConsoleExportConfig($includeSecrets: Boolean) {
    exportConfig(includeSecrets: $includeSecrets)
  }
`);

const Import = graphql(`
  mutation ConsoleImportConfig($config: JSON!, $dryRun: Boolean) {
    importConfig(config: $config, dryRun: $dryRun) {
      dryRun ignored
      changes { section field old new }
    }
  }
`);

type Result = ConsoleImportConfigMutation['importConfig'];

const show = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

export function ConfigExchange({ onImported }: { onImported: () => void }) {
  const client = useClient();
  const [secrets, setSecrets] = useState(false);
  const [download, setDownload] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [parseError, setParseError] = useState('');
  const [preview, setPreview] = useState<Result | null>(null);
  const [applied, setApplied] = useState<Result | null>(null);
  const [error, setError] = useState<CombinedError | undefined>();
  const [busy, setBusy] = useState(false);
  // The download link's object URL is freed when replaced and when the panel closes.
  useEffect(() => () => { if (download) URL.revokeObjectURL(download); }, [download]);

  async function exportNow() {
    setBusy(true);
    const res = await client.query(Export, { includeSecrets: secrets }, { requestPolicy: 'network-only' }).toPromise();
    setBusy(false);
    setError(res.error);
    if (res.data) {
      const json = JSON.stringify(res.data.exportConfig, null, 2);
      setText(json);
      setDownload(URL.createObjectURL(new Blob([json], { type: 'application/json' })));
    }
  }

  async function run(dryRun: boolean) {
    setParseError('');
    setApplied(null);
    let config: unknown;
    try {
      config = JSON.parse(text);
    } catch {
      setParseError('This is not JSON: paste an export of steward or an Open WebUI config.json.');
      return;
    }
    setBusy(true);
    const res = await client.mutation(Import, { config, dryRun }).toPromise();
    setBusy(false);
    setError(res.error);
    const r = res.data?.importConfig ?? null;
    if (dryRun) {
      setPreview(r);
    } else if (r) {
      setPreview(null);
      setApplied(r);
      onImported();
    }
  }

  async function readFile(file: File | undefined) {
    if (!file) return;
    setText(await file.text());
    setPreview(null);
  }

  return (
    <form className="card spec" aria-labelledby="exchange-title" noValidate onSubmit={(e) => { e.preventDefault(); run(true); }}>
      <h2 id="exchange-title">Export and import</h2>
      <div className="form-actions">
        <label className="check">
          <input type="checkbox" checked={secrets} onChange={(e) => setSecrets(e.target.checked)} /> Include secrets
        </label>
        <button type="button" onClick={exportNow} disabled={busy}>Export</button>
        {download && <a className="button" href={download} download="steward-config.json">Download steward-config.json</a>}
      </div>
      <label htmlFor="exchange-file">Import a file</label>
      <input id="exchange-file" type="file" accept="application/json,.json" onChange={(e) => readFile(e.target.files?.[0])} />
      <label htmlFor="exchange-text">Configuration document (JSON)</label>
      <textarea id="exchange-text" rows={10} value={text} spellCheck={false}
        onChange={(e) => { setText(e.target.value); setPreview(null); }}
        aria-invalid={!!parseError} aria-describedby="exchange-text-error" />
      {parseError && <p className="field-error" id="exchange-text-error" role="alert">{parseError}</p>}
      <div className="form-actions">
        <button type="submit" disabled={busy || !text.trim()}>Preview import</button>
      </div>
      <ErrorMessage error={error} />
      {preview && (
        <output className="preview" data-preview="import">
          <p>
            {preview.changes.length === 0
              ? 'The document changes nothing.'
              : `${preview.changes.length} field${preview.changes.length === 1 ? '' : 's'} would change:`}
          </p>
          {preview.changes.length > 0 && (
            <div className="table-wrap">
              <table>
                <thead><tr><th>Section</th><th>Field</th><th>Now</th><th>After</th></tr></thead>
                <tbody>
                  {preview.changes.map((c, i) => (
                    <tr key={i} data-change={`${c.section}.${c.field}`}>
                      <td>{c.section}</td><td>{c.field}</td><td>{show(c.old)}</td><td>{show(c.new)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {preview.ignored.length > 0 && <p>Ignored (steward has no place for them): {preview.ignored.join(', ')}</p>}
          {preview.changes.length > 0 && (
            <button type="button" className="primary" disabled={busy} onClick={() => run(false)}>
              Apply {preview.changes.length} change{preview.changes.length === 1 ? '' : 's'}
            </button>
          )}
        </output>
      )}
      {applied && <output className="ok">Imported: {applied.changes.length} field{applied.changes.length === 1 ? '' : 's'} changed.</output>}
    </form>
  );
}
