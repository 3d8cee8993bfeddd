import { env } from "zigttp:env";
import * as rl from "zigttp:ratelimit";
import { rateCheck as check } from "zigttp:ratelimit";
export const NAME: string = "app";
export let counter = 0;
export default {
  fetch(req: Request): Response {
    const r = check(req.path, 10, 60);
    return Response.html(renderToString(<p>{env("X")}{NAME}{String(rl.rateReset("k"))}{r.ok}</p>));
  },
};
