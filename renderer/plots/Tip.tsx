/** Tooltip body: one hovered point's fields, as label/value rows. */
export interface TipRow {
  label: string;
  value: string;
}

export function TipBox({ title, rows }: { title: string; rows: TipRow[] }) {
  return (
    <div className="tip">
      <strong>{title}</strong>
      <table>
        <tbody>
          {rows.map((r) => (
            <tr key={r.label}>
              <th>{r.label}</th>
              <td>{r.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** What recharts hands a custom tooltip (the fields used here). */
export interface TipProps<P> {
  active?: boolean;
  payload?: readonly { payload?: P }[];
}

export function hovered<P>(props: TipProps<P>): P | null {
  if (!props.active) return null;
  return props.payload?.[0]?.payload ?? null;
}
