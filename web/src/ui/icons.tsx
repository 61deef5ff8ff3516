// Inline SVG icons: decorative by default (aria-hidden); the button around them carries the label.
import type { JSX } from "solid-js";

export interface IconProps {
  size?: number;
  class?: string;
}

function Svg(props: IconProps & { children: JSX.Element }): JSX.Element {
  const size = (): number => props.size ?? 16;
  return (
    <svg
      class={`icon ${props.class ?? ""}`}
      width={size()}
      height={size()}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
    >
      {props.children}
    </svg>
  );
}

export const IconClose = (p: IconProps): JSX.Element => <Svg {...p}><path d="M6 6l12 12M18 6L6 18" /></Svg>;
export const IconBell = (p: IconProps): JSX.Element => (
  <Svg {...p}><path d="M6 8a6 6 0 1 1 12 0c0 7 3 8 3 8H3s3-1 3-8" /><path d="M10 20a2 2 0 0 0 4 0" /></Svg>
);
export const IconAlert = (p: IconProps): JSX.Element => (
  <Svg {...p}><path d="M12 3l10 18H2z" /><path d="M12 10v5M12 18v.01" /></Svg>
);
export const IconSun = (p: IconProps): JSX.Element => (
  <Svg {...p}><circle cx="12" cy="12" r="4" /><path d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4" /></Svg>
);
export const IconMoon = (p: IconProps): JSX.Element => <Svg {...p}><path d="M21 13A9 9 0 1 1 11 3a7 7 0 0 0 10 10z" /></Svg>;
export const IconTrash = (p: IconProps): JSX.Element => (
  <Svg {...p}><path d="M3 6h18M8 6V4h8v2M6 6l1 14h10l1-14" /></Svg>
);
export const IconCopy = (p: IconProps): JSX.Element => (
  <Svg {...p}><rect x="9" y="9" width="12" height="12" rx="2" /><path d="M5 15V5a2 2 0 0 1 2-2h8" /></Svg>
);
export const IconRefresh = (p: IconProps): JSX.Element => (
  <Svg {...p}><path d="M21 12a9 9 0 1 1-3-6.7L21 8" /><path d="M21 3v5h-5" /></Svg>
);
export const IconPlus = (p: IconProps): JSX.Element => <Svg {...p}><path d="M12 5v14M5 12h14" /></Svg>;
export const IconBack = (p: IconProps): JSX.Element => <Svg {...p}><path d="M15 18l-6-6 6-6" /></Svg>;
export const IconChevron = (p: IconProps): JSX.Element => <Svg {...p}><path d="M9 18l6-6-6-6" /></Svg>;
export const IconCheck = (p: IconProps): JSX.Element => <Svg {...p}><path d="M5 12l5 5L20 7" /></Svg>;
export const IconLock = (p: IconProps): JSX.Element => (
  <Svg {...p}><rect x="4" y="11" width="16" height="10" rx="2" /><path d="M8 11V7a4 4 0 0 1 8 0v4" /></Svg>
);
export const IconKeyboard = (p: IconProps): JSX.Element => (
  <Svg {...p}><rect x="2" y="6" width="20" height="12" rx="2" /><path d="M6 10h.01M10 10h.01M14 10h.01M18 10h.01M7 14h10" /></Svg>
);
export const IconDownload = (p: IconProps): JSX.Element => (
  <Svg {...p}><path d="M12 3v12M7 10l5 5 5-5M4 21h16" /></Svg>
);
export const IconShield = (p: IconProps): JSX.Element => (
  <Svg {...p}><path d="M12 2l8 4v6c0 5-3.5 9-8 10-4.5-1-8-5-8-10V6z" /></Svg>
);
