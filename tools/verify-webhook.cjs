// Verifies one webhook delivery with the reference Standard Webhooks library (an implementation independent of
// Alerts'): reads {"secret", "headers": {...}, "body"} as JSON on standard input, prints the verified payload's
// event_type (a delivery target's: its type), exits 1 when the signature does not verify. Used by the integration tests.
const { Webhook } = require("standardwebhooks");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const { secret, headers, body } = JSON.parse(input);
  try {
    const payload = new Webhook(secret).verify(body, headers);
    process.stdout.write(`verified ${payload.event_type ?? payload.type}\n`);
  } catch (error) {
    process.stdout.write(`refused: ${error.message}\n`);
    process.exit(1);
  }
});
