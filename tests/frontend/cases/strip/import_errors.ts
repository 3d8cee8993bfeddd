import { nope } from "zigttp:env";
import { x } from "zigttp:missing";
import lodash from "lodash";
export function handler() { return Response.text("x" + nope + x + lodash); }
