// A WAI-ARIA tablist: arrow keys, Home and End move between tabs, only the selected tab is in the tab order, and its
// panel is labelled by it. Shared by the Security and Admin screens.
import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';

export interface Tab {
  readonly id: string;
  readonly label: string;
  readonly render: () => ComponentChildren;
}

export function Tabs({ tabs, label }: { readonly tabs: readonly Tab[]; readonly label: string }) {
  const [selected, setSelected] = useState(tabs[0]?.id ?? '');
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const index = Math.max(0, tabs.findIndex((t) => t.id === selected));
  const move = (to: number) => {
    const next = (to + tabs.length) % tabs.length;
    setSelected(tabs[next]!.id);
    buttons.current[next]?.focus();
  };
  const onKey = (e: KeyboardEvent) => {
    const keys: Record<string, number> = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 };
    const to = keys[e.key];
    if (to === undefined) return;
    e.preventDefault();
    move(to);
  };
  const current = tabs[index];
  return (
    <div class="tabs">
      <div role="tablist" aria-label={label} class="tablist" onKeyDown={onKey}>
        {tabs.map((t, i) => (
          <button
            key={t.id}
            ref={(b) => {
              buttons.current[i] = b;
            }}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={i === index}
            aria-controls={`panel-${t.id}`}
            tabIndex={i === index ? 0 : -1}
            onClick={() => setSelected(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      {current ? (
        <div role="tabpanel" id={`panel-${current.id}`} aria-labelledby={`tab-${current.id}`} tabIndex={0} class="tabpanel">
          {current.render()}
        </div>
      ) : null}
    </div>
  );
}
