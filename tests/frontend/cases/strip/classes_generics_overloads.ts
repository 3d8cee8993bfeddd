abstract class Shape<T> implements HasArea {
  private readonly name: string = "s";
  protected static count?: number;
  declare tag: string;
  abstract area(): number;
  public describe(this: Shape<T>, extra?: string): string { return this.name + extra!; }
  get label(): string { return this.name; }
}
class Sq extends Shape<number> { area(): number { return 4; } }
function pick<T extends object, K extends keyof T>(obj: T, key: K): T[K] { return obj[key]; }
function over(x: string): string;
function over(x: number): number;
function over(x: any): any { return x; }
const cfg = { port: 8080, tags: ["a"] } as const;
const n = (<any>"5") as unknown as number;
const s = cfg satisfies Record<string, unknown>;
let later!: number;
type Fn = (a: number) => void;
const f = <T,>(a: T): T => a;
const g = async <T>(a: T): Promise<T> => a;
const deep = cfg?.tags?.[0]!;
declare function ext(a: number): void;
declare global { interface Window { x: number } }
export type { Fn };
import type { Foo } from "./types";
let u: typeof cfg["port"] | undefined = undefined;
function assertIsString(val: any): asserts val is string {}
function isStr(val: unknown): val is string { return typeof val === "string"; }
for (const k of [1] as number[]) {}
