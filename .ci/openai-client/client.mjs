// Drives steward's gateway with the official OpenAI Node library, as an Open WebUI operator's
// scripts would, and prints what it saw as one JSON object for the Go test to check
// (internal/gateway/openai_client_test.go). OPENAI_BASE_URL and OPENAI_API_KEY point it at steward.
import OpenAI from "openai";

const client = new OpenAI({ maxRetries: 0, timeout: 20000 });
const out = {};

const models = await client.models.list();
out.models = models.data.map((m) => m.id);

const answer = await client.chat.completions.create({
  model: "gpt-test",
  messages: [{ role: "user", content: "Say hello" }],
  max_tokens: 50,
});
out.content = answer.choices[0].message.content;
out.usage = answer.usage;

const stream = await client.chat.completions.create({
  model: "gpt-test",
  messages: [{ role: "user", content: "Say hello" }],
  stream: true,
  stream_options: { include_usage: true },
});
out.streamed = "";
for await (const chunk of stream) {
  if (chunk.choices.length > 0) out.streamed += chunk.choices[0].delta.content ?? "";
  if (chunk.usage) out.streamUsage = chunk.usage;
}

const emb = await client.embeddings.create({ model: "gpt-test", input: "hello" });
out.embeddingLength = emb.data[0].embedding.length;

async function failure(fn) {
  try {
    await fn();
    return { error: "none" };
  } catch (e) {
    return { class: e.constructor.name, status: e.status, code: e.code, type: e.type, retryAfter: e.headers?.get?.("retry-after") ?? null };
  }
}
out.unknownModel = await failure(() =>
  client.chat.completions.create({ model: "no-such-model", messages: [{ role: "user", content: "hi" }] }),
);
// The plan allows three requests: the fourth is refused before reaching the upstream.
out.overQuota = await failure(() =>
  client.chat.completions.create({ model: "gpt-test", messages: [{ role: "user", content: "hi" }], stream: true }),
);
out.badKey = await failure(() => new OpenAI({ maxRetries: 0, apiKey: "sk-wrong" }).models.list());

console.log(JSON.stringify(out));
