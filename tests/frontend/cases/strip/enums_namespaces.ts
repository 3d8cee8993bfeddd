enum Color {
  Red,
  Green = 5,
  Blue,
}
const enum Mode { Read = "r", Write = "w" }
enum Flags { A = 1 << 0, B = A << 1, C = A | B }
namespace Util {
  export const version = "1";
  export function twice(n: number): number { return n * 2; }
  const hidden = 3;
  export type T = number;
}
namespace OnlyTypes {
  export interface I { a: number }
}
export function handler() {
  return Response.json([Color.Red, Color[5], Color.Blue, Mode.Write, Flags.C, Util.twice(2), Util.version]);
}
