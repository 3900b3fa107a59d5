// A form rendered from a small description of its fields, for the configuration sections and
// other settings-like inputs: each field is an input of its kind, the values are kept as drafts
// (lists and JSON as the text being typed) and turned into the mutation's input on save, and a
// server error that names a field (extensions.field, a dotted path such as "openai.0.url") is
// shown under that field.
import { useState, type FormEvent, type ReactNode } from 'react';
import type { CombinedError } from 'urql';
import { ErrorMessage, FieldError, problems, stripFieldName } from './errors';

export type Field =
  | { key: string; label: string; kind: 'bool' | 'text' | 'int' | 'textarea' | 'list' | 'json' | 'hidden'; help?: string }
  | { key: string; label: string; kind: 'secret'; setFlag: string; help?: string }
  | { key: string; label: string; kind: 'enum'; options: readonly string[]; labels?: Record<string, string>; help?: string }
  | { key: string; label: string; kind: 'object'; fields: Field[]; help?: string }
  | { key: string; label: string; kind: 'records'; fields: Field[]; blank: () => Record<string, unknown>; itemLabel: string; help?: string };

type Draft = Record<string, unknown>;
type FieldProblem = { message: string };

/** draftOf turns a value as the API returns it into the form's draft of the given fields. */
export function draftOf(fields: Field[], value: Record<string, unknown> | null | undefined): Draft {
  const out: Draft = {};
  const v = value ?? {};
  for (const f of fields) {
    const x = v[f.key];
    switch (f.kind) {
      case 'bool': out[f.key] = Boolean(x); break;
      case 'int': out[f.key] = x === null || x === undefined ? '' : String(x); break;
      case 'list': out[f.key] = Array.isArray(x) ? x.join(', ') : ''; break;
      case 'json': out[f.key] = x === null || x === undefined ? '' : JSON.stringify(x, null, 2); break;
      // A secret is write-only: the draft starts empty (keep) and remembers whether one is stored.
      case 'secret': out[f.key] = ''; out[`${f.key}__set`] = Boolean(v[f.setFlag]); break;
      case 'object': out[f.key] = draftOf(f.fields, x as Record<string, unknown>); break;
      case 'records': out[f.key] = Array.isArray(x) ? x.map((item) => draftOf(f.fields, item as Record<string, unknown>)) : []; break;
      default: out[f.key] = x === null || x === undefined ? '' : x;
    }
  }
  return out;
}

/** ClientError is a field the form refuses before asking the server (see inputOf). */
export class ClientError extends Error {
  constructor(readonly path: string, message: string) {
    super(message);
  }
}

/**
 * inputOf turns a draft back into the API's input: lists split on commas and new lines, numbers
 * parsed, empty secrets and empty JSON left out (keep what is stored), hidden values passed
 * through. Text that cannot be the field's type (not a whole number, JSON that does not parse) is
 * a ClientError naming the field, shown there without asking the server; the server judges
 * everything else.
 */
export function inputOf(fields: Field[], draft: Draft, path = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const x = draft[f.key];
    const p = path ? `${path}.${f.key}` : f.key;
    switch (f.kind) {
      case 'int': {
        const s = String(x ?? '').trim();
        if (s === '') break;
        if (!/^-?\d{1,15}$/.test(s)) throw new ClientError(p, 'must be a whole number');
        out[f.key] = Number(s);
        break;
      }
      case 'list': out[f.key] = String(x ?? '').split(/[\n,]+/).map((s) => s.trim()).filter(Boolean); break;
      case 'json': {
        const s = String(x ?? '').trim();
        if (s === '') break;
        try {
          out[f.key] = JSON.parse(s);
        } catch {
          throw new ClientError(p, 'is not valid JSON');
        }
        break;
      }
      case 'secret': if (x !== '') out[f.key] = x; break;
      case 'object': out[f.key] = inputOf(f.fields, x as Draft, p); break;
      case 'records': out[f.key] = (x as Draft[]).map((item, i) => inputOf(f.fields, item, `${p}.${i}`)); break;
      case 'hidden': if (x !== '' && x !== undefined) out[f.key] = x; break;
      default: out[f.key] = x;
    }
  }
  return out;
}

/**
 * fieldProblems maps each error's field path, with the argument's name (servers, suggestions...)
 * taken off, to its message without the leading "path: " the server's message repeats.
 */
export function fieldProblems(error: CombinedError | undefined, argPrefix = ''): Record<string, FieldProblem> {
  const out: Record<string, FieldProblem> = {};
  for (const p of problems(error)) {
    if (!p.field) continue;
    let path = p.field;
    if (argPrefix && path.startsWith(`${argPrefix}.`)) path = path.slice(argPrefix.length + 1);
    out[path] = { message: stripFieldName(p.message, p.field) };
  }
  return out;
}

type Props = {
  id: string;
  title: string;
  fields: Field[];
  initial: Record<string, unknown> | null | undefined;
  submitLabel?: string;
  /** The argument name the server puts before item paths ("servers" for "servers.0.url"). */
  argPrefix?: string;
  save: (input: Record<string, unknown>) => Promise<{ error?: CombinedError }>;
  onSaved?: () => void;
  /** Extra controls per record (a tool server's Verify), given the item's input. */
  recordActions?: (input: Record<string, unknown>, index: number) => ReactNode;
};

/** SpecForm renders fields, saves through save and shows each error at its field. */
export function SpecForm({ id, title, fields, initial, submitLabel = 'Save', argPrefix, save, onSaved, recordActions }: Props) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(fields, initial));
  // When the stored value changes (reloaded after a save), the form shows it: secrets empty again
  // with their "stored" flags up to date. Only the fields' own values count, not the rest of the
  // object the value came from.
  const fresh = JSON.stringify(draftOf(fields, initial));
  const [shownFresh, setShownFresh] = useState(fresh);
  if (fresh !== shownFresh) {
    setShownFresh(fresh);
    setDraft(JSON.parse(fresh) as Draft);
  }
  const [error, setError] = useState<CombinedError | undefined>();
  const [local, setLocal] = useState<Record<string, FieldProblem>>({});
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const server = fieldProblems(error, argPrefix);
  const all = { ...server, ...local };
  // Field errors shown at a field are not repeated in the form's alert.
  const shown = new Set(Object.keys(all));
  const known = new Set(paths(fields, draft));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    let input: Record<string, unknown>;
    try {
      input = inputOf(fields, draft);
    } catch (err) {
      if (err instanceof ClientError) {
        setLocal({ [err.path]: { message: err.message } });
        setError(undefined);
        return;
      }
      throw err;
    }
    setLocal({});
    setBusy(true);
    const res = await save(input);
    setBusy(false);
    setError(res.error);
    if (!res.error) {
      setSaved(true);
      onSaved?.();
    }
  }

  return (
    <form className="card spec" id={id} onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <Fields fields={fields} draft={draft} path="" idBase={id} problems={all}
        onChange={(d) => { setDraft(d); setSaved(false); }} recordActions={recordActions} />
      {/* Errors on a field the form has no input for stay in the alert, with their field's path. */}
      <ErrorMessage error={error} fields={[...shown].filter((p) => known.has(p))} byPath argPrefix={argPrefix} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>{submitLabel}</button>
        {saved && <output className="ok">Saved.</output>}
      </div>
    </form>
  );
}

/** paths lists every input's dotted path in the draft (records by index). */
function paths(fields: Field[], draft: Draft, prefix = ''): string[] {
  const out: string[] = [];
  for (const f of fields) {
    const p = prefix ? `${prefix}.${f.key}` : f.key;
    out.push(p);
    if (f.kind === 'object') out.push(...paths(f.fields, draft[f.key] as Draft, p));
    if (f.kind === 'records') (draft[f.key] as Draft[]).forEach((item, i) => out.push(...paths(f.fields, item, `${p}.${i}`)));
  }
  return out;
}

type FieldsProps = {
  fields: Field[];
  draft: Draft;
  path: string;
  idBase: string;
  problems: Record<string, FieldProblem>;
  onChange: (d: Draft) => void;
  recordActions?: (input: Record<string, unknown>, index: number) => ReactNode;
};

function Fields({ fields, draft, path, idBase, problems, onChange, recordActions }: FieldsProps) {
  return (
    <>
      {fields.map((f) => {
        const p = path ? `${path}.${f.key}` : f.key;
        const id = `${idBase}-${p.replace(/\./g, '-')}`;
        const problem = problems[p]?.message;
        const set = (v: unknown) => onChange({ ...draft, [f.key]: v });
        const described = { 'aria-invalid': !!problem, 'aria-describedby': `${id}-error` };
        switch (f.kind) {
          case 'hidden':
            return null;
          case 'bool':
            return (
              <div key={f.key} className="field">
                <label className="check" htmlFor={id}>
                  <input id={id} type="checkbox" checked={Boolean(draft[f.key])} onChange={(e) => set(e.target.checked)} {...described} />
                  {' '}{f.label}
                </label>
                {f.help && <p className="help">{f.help}</p>}
                <FieldError id={`${id}-error`} message={problem} />
              </div>
            );
          case 'object':
            return (
              <fieldset key={f.key} className="group">
                <legend>{f.label}</legend>
                <Fields fields={f.fields} draft={draft[f.key] as Draft} path={p} idBase={idBase} problems={problems}
                  onChange={(d) => set(d)} />
                <FieldError id={`${id}-error`} message={problem} />
              </fieldset>
            );
          case 'records': {
            const items = draft[f.key] as Draft[];
            return (
              <fieldset key={f.key} className="group">
                <legend>{f.label}</legend>
                {f.help && <p className="help">{f.help}</p>}
                {items.map((item, i) => (
                  <fieldset key={i} className="record">
                    <legend>{f.itemLabel} {i + 1}</legend>
                    <Fields fields={f.fields} draft={item} path={`${p}.${i}`} idBase={idBase} problems={problems}
                      onChange={(d) => set(items.map((x, j) => (j === i ? d : x)))} />
                    <div className="record-actions">
                      {recordActions?.(safeInput(f.fields, item), i)}
                      <button type="button" className="danger" onClick={() => set(items.filter((_, j) => j !== i))}>
                        Remove {f.itemLabel.toLowerCase()} {i + 1}
                      </button>
                    </div>
                  </fieldset>
                ))}
                <button type="button" onClick={() => set([...items, draftOf(f.fields, f.blank())])}>Add {f.itemLabel.toLowerCase()}</button>
                <FieldError id={`${id}-error`} message={problem} />
              </fieldset>
            );
          }
          default:
            return (
              <div key={f.key} className="field">
                <label htmlFor={id}>{f.label}</label>
                {control(f, id, draft, set, described)}
                {f.help && <p className="help">{f.help}</p>}
                <FieldError id={`${id}-error`} message={problem} />
              </div>
            );
        }
      })}
    </>
  );
}

function safeInput(fields: Field[], draft: Draft): Record<string, unknown> {
  try {
    return inputOf(fields, draft);
  } catch {
    return {};
  }
}

function control(f: Field, id: string, draft: Draft, set: (v: unknown) => void, described: Record<string, unknown>): ReactNode {
  const value = String(draft[f.key] ?? '');
  switch (f.kind) {
    case 'enum':
      return (
        <select id={id} value={value} onChange={(e) => set(e.target.value)} {...described}>
          {f.options.map((o) => <option key={o} value={o}>{f.labels?.[o] ?? o.toLowerCase().replace(/_/g, ' ')}</option>)}
        </select>
      );
    case 'textarea':
    case 'json':
      return <textarea id={id} value={value} rows={f.kind === 'json' ? 4 : 3} onChange={(e) => set(e.target.value)} {...described} />;
    case 'secret': {
      const stored = Boolean(draft[`${f.key}__set`]);
      return (
        <input id={id} type="password" autoComplete="off" value={value} onChange={(e) => set(e.target.value)}
          placeholder={stored ? 'stored (leave empty to keep)' : 'not set'} {...described} />
      );
    }
    case 'int':
      return <input id={id} inputMode="numeric" value={value} onChange={(e) => set(e.target.value)} {...described} />;
    default:
      return <input id={id} value={value} onChange={(e) => set(e.target.value)} {...described} />;
  }
}
