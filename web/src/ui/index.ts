// Shared UI building blocks. W2 may add new files beside these; re-export them from their own modules.
export { Badge, type BadgeTone, StatusDot } from "./badge.tsx";
export { Button, type ButtonProps, type ButtonVariant, IconButton, type IconButtonProps } from "./button.tsx";
export { Countdown } from "./countdown.tsx";
export { Dialog, type DialogProps, focusableIn, trapFocus } from "./dialog.tsx";
export { Switch, TextField, type TextFieldProps } from "./field.tsx";
export * from "./icons.tsx";
export { JsonView } from "./json-view.tsx";
export { Spinner } from "./spinner.tsx";
export { type TabItem, Tabs } from "./tabs.tsx";
