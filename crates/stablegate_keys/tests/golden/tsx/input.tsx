import React, { useState } from "react";

type ButtonProps = { label: string; onPress?: () => void };

export function Button({ label, onPress }: ButtonProps) {
  const [count, setCount] = useState<number>(0);
  const handleClick = (event: React.MouseEvent<HTMLButtonElement>) => {
    setCount((c) => c + 1);
    onPress?.();
  };
  return (
    <button aria-label={`press ${label}`} onClick={handleClick} disabled>
      Pressed {count} times — "quoted" text
      {count > 0 && <span className="badge">{count}</span>}
    </button>
  );
}

export const List = <T,>({ items }: { items: T[] }) => (
  <ul>
    {items.map((item, i) => (
      <li key={i}>{String(item)}</li>
    ))}
  </ul>
);

export default class Panel extends React.Component<Props, State> {
  state: State = { open: false };
  toggle = () => this.setState({ open: !this.state.open });
  render() {
    return <div>{this.props.children}</div>;
  }
}
