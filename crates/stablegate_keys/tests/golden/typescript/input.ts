import { Observable } from "rxjs";
import type { Props } from './props';

export interface Repository<T extends { id: string }> {
  find(id: string): Promise<T | undefined>;
  readonly name: string;
}

export enum Color {
  Red = "RED",
  Green = "GREEN",
}

namespace Outer.Inner {
  export const value = 1;
  export function helper<T>(items: Array<Array<T>>): Map<string, T[]> {
    return new Map();
  }
}

declare module "express" {
  interface Request {
    user?: string;
  }
}

@Component({
  selector: "app-root",
  template: `<div>${title}</div>`,
})
export abstract class Service<T> implements Repository<T> {
  @Input() label: string = "x";
  private cache = new Map<string, T>();
  handler = async (event: Event): Promise<void> => {
    await this.load(`id-${event.type}`);
  };

  constructor(private readonly http: HttpClient) {
    super();
  }

  abstract area(): number;

  @HostListener("click", ["$event"])
  onClick(e: MouseEvent): void {
    const nested = (x: number) => (y: number) => x + y;
    this.items.forEach((item) => {
      console.log(item);
    });
  }

  find(id: string): Promise<T | undefined>;
  find(id: string, strict?: boolean): Promise<T | undefined> {
    return Promise.resolve(this.cache.get(id) as T);
  }
}

type Template = `prefix-${string}-suffix`;
type Mapped<T> = {
  [K in keyof T]: T[K] extends Function ? never : T[K];
};
export function overload(a: string): string;
export function overload(a: number): number;
export function overload(a: any): any {
  return a satisfies unknown;
}
const identity = <T,>(x: T): T => x;
let shifted = value >>> 2 >> 1;
