/**
 * Complex numbers for evaluating answers: mathjs's Complex class (complex.js), with the methods it
 * has at run time typed here (mathjs's own declaration lists only a few of them).
 */
import * as mathjs from "mathjs";

export interface Cx {
  re: number;
  im: number;
  add(o: Cx | number): Cx;
  sub(o: Cx | number): Cx;
  mul(o: Cx | number): Cx;
  div(o: Cx | number): Cx;
  pow(o: Cx | number): Cx;
  neg(): Cx;
  abs(): number;
  sqrt(): Cx;
  exp(): Cx;
  log(): Cx;
  sin(): Cx; cos(): Cx; tan(): Cx; cot(): Cx; sec(): Cx; csc(): Cx;
  asin(): Cx; acos(): Cx; atan(): Cx; acot(): Cx; asec(): Cx; acsc(): Cx;
  sinh(): Cx; cosh(): Cx; tanh(): Cx;
  floor(places: number): Cx;
  ceil(places: number): Cx;
  isZero(): boolean;
}

const ComplexCtor = (mathjs as unknown as { Complex: new (re: number, im: number) => Cx }).Complex;

export function cx(re: number, im = 0): Cx {
  return new ComplexCtor(re, im);
}

export function isCx(v: unknown): v is Cx {
  return v instanceof (ComplexCtor as unknown as abstract new (...args: never[]) => unknown);
}
