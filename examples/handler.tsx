// TSX: typed function components, children, lists and attributes, rendered on the server.
interface CardProps {
  title: string;
  children?: unknown;
}

interface Item {
  name: string;
  price: number;
}

const items: Item[] = [
  { name: "Coffee", price: 3.5 },
  { name: "Tea & Scones", price: 4 },
];

function Card({ title, children }: CardProps) {
  return (
    <section class="card">
      <h2>{title}</h2>
      {children}
    </section>
  );
}

function PriceList({ entries }: { entries: Item[] }) {
  return (
    <ul>
      {entries.map((item: Item) => (
        <li data-price={item.price.toFixed(2)}>{item.name}</li>
      ))}
    </ul>
  );
}

export default {
  fetch(request: Request): Response {
    if (request.path !== "/") {
      return Response.html(renderToString(<p>Not here</p>), { status: 404 });
    }
    const page = (
      <html>
        <body>
          <Card title="Menu">
            <PriceList entries={items} />
          </Card>
        </body>
      </html>
    );
    return Response.html("<!DOCTYPE html>" + renderToString(page));
  },
};
