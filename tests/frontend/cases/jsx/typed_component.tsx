interface Props { name: string; count?: number }
function Greeting({ name, count = 1 }: Props): JSX.Element {
  const label = (name as string).toUpperCase();
  return <p data-count={count!}>Hi {label}</p>;
}
const pick = <T,>(xs: T[]): T => xs[0];
function render(): string {
  return renderToString(<section>{pick<string>(["a"])}<Greeting name="ann" count={2} /></section>);
}
