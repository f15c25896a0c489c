import type { LegendItem } from "./theme.ts";

/** The chart legend as HTML (the exported SVG draws the same items itself: export/svg.ts). */
export function Legend({ items }: { items: LegendItem[] }) {
  return (
    <ul className="legend">
      {items.map((item) => (
        <li key={item.label}>
          <svg width="22" height="12" aria-hidden="true">
            <g opacity={item.opacity}>
              <LegendMark item={item} />
            </g>
          </svg>
          {item.label}
        </li>
      ))}
    </ul>
  );
}

export function LegendMark({ item }: { item: LegendItem }) {
  switch (item.mark) {
    case "line":
      return <line x1="1" y1="6" x2="21" y2="6" stroke={item.color} strokeWidth="2.5" strokeDasharray={item.dashed ? "4 3" : undefined} />;
    case "dot":
      return <circle cx="11" cy="6" r="4" fill={item.color} />;
    case "square":
      return <rect x="5" y="1" width="12" height="10" fill={item.color} />;
    case "diamond":
      return <path d="M11 0 L17 6 L11 12 L5 6 Z" fill={item.color} />;
    case "star":
      return <path d="M11 0 L13 4.5 L18 5 L14 8 L15.5 12 L11 9.6 L6.5 12 L8 8 L4 5 L9 4.5 Z" fill={item.color} />;
  }
}
