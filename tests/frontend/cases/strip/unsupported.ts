class Point {
  constructor(public x: number, private readonly y: number) {}
}
@sealed
class Box {}
import fs = require("fs");
export function handler() { return Response.text("x"); }
