// The rule-based memory extractor: durable facts, preferences, standing instructions and notes that
// a user states about themselves in one chat message, in English and Chinese. Pure and
// deterministic (no clock, no randomness, no model), so a retried extract_memories job decides the
// same way. An LLM extractor can replace it behind the same function shape.
//
// How a message is read: it is split into sentences, sentences into clauses (commas, "... and I
// ...", "...但是不喜欢..."), leading fillers are dropped ("Hi,", "Actually,", "对了，"), and
// patterns anchored at the start of each clause are tried. Anchoring is what keeps out other
// people's facts ("my friend likes X", "他喜欢X") and reported speech; questions, conditional and
// temporal clauses ("if I lived in X", "如果我喜欢X") are dropped before any pattern runs.
//
// Known limits: objects are not singularised or split ("cats" and "cat", "tea and coffee" are
// slots of their own; only allergies are split per item); "I'm from X" fills `hometown` and
// "I work at X" `workplace`, apart from `location` and `job`; a bare "I'm X" is a name only right
// after a greeting; plain imperatives without always/never/from now on are taken as one-off;
// age, family and pets are not extracted; a conditional or temporal clause drops the rest of
// its sentence.

/** Matches the database enum app_public.memory_kind. */
export type MemoryKind = "fact" | "preference" | "instruction" | "note";

export interface MemoryCandidate {
  kind: MemoryKind;
  /** A stable slot for facts that can only have one current value per user, so a newer statement
   *  updates the older one instead of adding a second: e.g. "name", "location", "job", "birthday",
   *  "pref:<normalised object>" (like and dislike of the same thing share the slot). null when the
   *  fact can coexist with others (notes, "remember that ..."). */
  key: string | null;
  /** A self-contained third-person sentence in the message's language. */
  content: string;
  /** 1..5 */
  importance: number;
}

const MAX_INPUT = 20_000; // characters of a message that are read at all
const MAX_VALUE = 200; // characters of an extracted value (name, object, note body)
const MAX_KEY = 200; // app_public.user_memories.memory_key is at most 200 characters
const MAX_KEY_PART = 150;

/** What the lead engineer's store compares slots by: NFKC, lower case, no punctuation, articles
 *  and filler ("very much", "a lot", 很, 非常) removed, whitespace collapsed, at most 150 chars. */
export function normaliseForKey(s: string): string {
  let k = s.normalize("NFKC").toLowerCase().replace(/[‘’ʼ`´]/gu, "'");
  k = k.replace(/[^\p{L}\p{N}\p{M}'+#&\s-]+/gu, " ");
  k = k.replace(/(^|\s)['-]+|['-]+(?=\s|$)/gu, "$1").replace(/\s+/gu, " ").trim();
  for (let before = ""; before !== k; ) {
    before = k;
    k = k
      .replace(/^(?:a|an|the|some|their|my|our|his|her)\s+/u, "")
      .replace(/\s+(?:very much|so much|a lot|a bunch|lots|quite a bit|too|as well|also|anymore|any more|at all|either|the most|most of all|more than anything|really)$/u, "")
      .replace(/^(?:很|非常|特别|超级|超|真的|十分|挺|蛮|好)+/u, "")
      .replace(/[了啊呀哦吧啦嘛呢]+$/u, "")
      .trim();
  }
  return Array.from(k).slice(0, MAX_KEY_PART).join("").trim();
}

export function extractMemoryCandidates(text: string): MemoryCandidate[] {
  if (typeof text !== "string") return [];
  const found = new Found();
  const ctx: Ctx = { afterGreeting: false };
  for (const sentence of splitSentences(normaliseText(text))) {
    for (const c of readSentence(sentence, ctx, false).candidates) found.add(c);
  }
  return found.list();
}

// ------------------------------------------------------------------------------------------------
// Output: one candidate per slot (the later statement wins), no repeated slot-less texts.

class Found {
  private items: MemoryCandidate[] = [];
  add(c: MemoryCandidate): void {
    const same = (x: MemoryCandidate) =>
      c.key !== null ? x.key === c.key : x.key === null && x.content.toLowerCase() === c.content.toLowerCase();
    const at = this.items.findIndex(same);
    if (at >= 0) this.items.splice(at, 1);
    this.items.push(c);
  }
  list(): MemoryCandidate[] {
    return this.items;
  }
}

function candidate(kind: MemoryKind, key: string | null, content: string, importance: number): MemoryCandidate {
  return { kind, key: key === null ? null : Array.from(key).slice(0, MAX_KEY).join(""), content, importance };
}

// ------------------------------------------------------------------------------------------------
// Text: normalising, sentences, clauses, fillers.

function normaliseText(text: string): string {
  return Array.from(text)
    .slice(0, MAX_INPUT)
    .join("")
    .replace(/\p{Extended_Pictographic}(?:[\uFE0E\uFE0F\u200D]|\p{Extended_Pictographic}|\p{EMod})*/gu, "\n") // emoji end a sentence
    .normalize("NFKC")
    .replace(/[‘’ʼ′´`]/gu, "'")
    .replace(/[“”„″«»]/gu, '"')
    .replace(/[\u200B-\u200D\u2060\uFEFF\uFE0E\uFE0F]/gu, "")
    .replace(/\r\n?/gu, "\n")
    .replace(/[^\S\n]+/gu, " ");
}

interface Sentence {
  text: string;
  question: boolean;
}

const TERMINATOR = /[.!?。;\n]/u;
const ABBREVIATIONS = new Set(["mr", "mrs", "ms", "dr", "prof", "st", "mt", "jr", "sr", "vs", "approx", "no"]);

function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    if (!TERMINATOR.test(text[i]!)) {
      i++;
      continue;
    }
    let j = i;
    while (j < text.length && TERMINATOR.test(text[j]!)) j++;
    const run = text.slice(i, j);
    if (run === "." && !dotEndsSentence(text, i)) {
      i = j;
      continue;
    }
    out.push({ text: text.slice(start, i).trim(), question: run.includes("?") });
    start = i = j;
  }
  out.push({ text: text.slice(start).trim(), question: false });
  return out.filter((s) => s.text !== "");
}

function dotEndsSentence(text: string, i: number): boolean {
  const next = text[i + 1];
  if (next !== undefined && !/[\s"')\]\p{Script=Han}]/u.test(next)) return false; // 3.5, Node.js, e.g.
  const word = /([A-Za-z]+)$/u.exec(text.slice(Math.max(0, i - 12), i))?.[1] ?? "";
  if (ABBREVIATIONS.has(word.toLowerCase())) return false;
  // An initial ("J. R. Smith"), unless what follows starts a new first-person statement.
  if (/^[A-Z]$/u.test(word) && !/^\s+(?:I|I'm|My|Remember|Please|Also|And|But)\b/u.test(text.slice(i + 1))) return false;
  return true;
}

interface Clause {
  text: string;
  start: number;
}

// Adverbs English speakers put between "I" and the verb.
const EN_ADV = String.raw`(?:(?:really|truly|absolutely|totally|genuinely|especially|particularly|actually|also|just|still|do|kind\s+of|kinda|sort\s+of|honestly|definitely|seriously|quite|now|currently|recently|already|always|usually|generally|mostly|often|sometimes|personally|so|very\s+much)\s+)*`;
// Adverbs Chinese speakers put between 我 and the verb.
const ZH_ADV = "(?:也|还是|还|都|又|就|很|非常|特别|超级|超|挺|蛮|真的|真|最|比较|十分|相当|一直|向来|从小就|从小|好|太|其实|确实|本来就|现在|目前|一向|尤其|更)*";
const ZH_NEG = "(?:不太|不怎么|不是很|一点都不|一点也不|并不|从不|从来不|从来都不|不)";

const CLAUSE_BREAKS: RegExp[] = [
  // A comma between a day and a year ("May 3, 1990") or inside a number does not end a clause.
  /(?<!\d)\s*,\s*|(?<=\d)\s*,(?!\s*\d)\s*/gu,
  /\s+[-–—]+\s+|——/gu,
  // "... and I live in ...", "... but my name is ..."
  new RegExp(String.raw`\s+(?=(?:and|but|so|plus)\s+(?:also\s+)?(?:i|i'm|im|i've|i'd|my|call\s+me|please)\b)`, "giu"),
  // "... and love cats", "... but hate coffee": the subject is carried over (see inheritSubject).
  new RegExp(
    String.raw`\s+(?=(?:and|but)\s+(?:also\s+)?${EN_ADV}(?:like|love|enjoy|prefer|adore|hate|dislike|detest|loathe|despise|don't|do\s+not|dont|can't|cannot|never|live|work|moved|am)\b)`,
    "giu",
  ),
  // 我喜欢咖啡但是不喜欢茶, 我喜欢咖啡也喜欢茶
  new RegExp(`(?<![我不])(?=(?:而且|并且|但是|可是|不过|但|也|还|又)${ZH_ADV}${ZH_NEG}?(?:喜欢|爱|讨厌|受不了|住在|来自|是一名|对[^,]{1,12}过敏))`, "gu"),
  // 我叫小明我住在北京: a new statement starts at 我, unless 我 is an object (叫我, 给我, 说我 ...).
  new RegExp(
    `(?<![和跟与说得为果是让叫把被给对帮的同])(?=我${ZH_ADV}(?:叫|名叫|的名字|名字|住在|来自|在|是|喜欢|爱|喜爱|讨厌|不|对|的生日|生日|的工作|的职业|搬|姓))`,
    "gu",
  ),
];

function splitClauses(s: string): Clause[] {
  const cuts: [number, number][] = [];
  for (const re of CLAUSE_BREAKS) for (const m of s.matchAll(re)) cuts.push([m.index, m.index + m[0].length]);
  cuts.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Clause[] = [];
  let pos = 0;
  for (const [a, b] of cuts) {
    if (a < pos) {
      pos = Math.max(pos, b);
      continue;
    }
    out.push({ text: s.slice(pos, a), start: pos });
    pos = b;
  }
  out.push({ text: s.slice(pos), start: pos });
  return out.filter((c) => c.text.trim() !== "").map((c) => ({ text: c.text.trim(), start: c.start + (c.text.length - c.text.trimStart().length) }));
}

const EN_GREETING = String.raw`hi|hello|hey|hiya|howdy|yo|greetings|good\s+(?:morning|afternoon|evening)|(?:hi|hello|hey)\s+there`;
const EN_FILLER = new RegExp(
  String.raw`^(?:(${EN_GREETING})|oh\s+and|and\s+also|oh\s+yeah|ok|okay|oh|ah|um|uh|er|erm|hmm+|well|so|and|but|also|plus|btw|by\s+the\s+way|actually|anyway|anyways|fyi|just\s+so\s+you\s+know|for\s+the\s+record|for\s+your\s+information|in\s+fact|honestly|to\s+be\s+honest|tbh|basically|yes|yeah|yep|yup|no|nope|nah|sure|alright|right|because|cause|since|as|although|though|just|now|again|ps|lol|haha+)\b[\s,:!.~-]*`,
  "iu",
);
const ZH_GREETING = "你好|您好|大家好|嗨|哈喽|哈啰|嘿|早上好|下午好|晚上好|早安";
// A Chinese filler is only dropped before punctuation or before the start of a statement.
const ZH_FILLER = new RegExp(
  `^(?:(${ZH_GREETING})|对了|另外|还有就是|还有|顺便说一下|顺便说|顺便提一下|顺便|其实|那个|嗯+|哦+|噢|啊|好的|好吧|是的|而且|并且|但是|可是|不过|但|所以|然后|我跟你说|跟你说一下|跟你说|告诉你|说一下|补充一下|因为|由于|既然|虽然|对)(?:[\\s,:!~]+|$|(?=我|请|记|以后|今后|叫我|你可以|总是|永远|从现在))`,
  "u",
);

/** Drops leading fillers; reports whether one of them was a greeting. */
function stripFillers(s: string): { text: string; greeted: boolean } {
  let text = s.trim();
  let greeted = false;
  for (let before = ""; before !== text; ) {
    before = text;
    const en = EN_FILLER.exec(text);
    if (en && en[0].length > 0) {
      greeted ||= en[1] !== undefined;
      text = text.slice(en[0].length).trim();
      continue;
    }
    const zh = ZH_FILLER.exec(text);
    if (zh && zh[0].length > 0) {
      greeted ||= zh[1] !== undefined;
      text = text.slice(zh[0].length).trim();
    }
  }
  return { text, greeted };
}

// "If I lived in X", "when I was young", "如果我喜欢X": this clause and the rest of its sentence
// state nothing about the user as they are.
const EN_CONDITIONAL = /^(?:if|suppose|supposing|imagine|assuming|assume|what\s+if|in\s+case|let's\s+say|lets\s+say|pretend|hypothetically|unless|when|whenever|while|once|until|before|after|even\s+if|i\s+wish|i\s+hope|i\s+wonder)\b/iu;
const ZH_CONDITIONAL = /^(?:如果|假如|假设|要是|万一|假使|倘若|即使|就算|哪怕|想象|当我|等我|我希望|我想知道|我在想)/u;

const EN_QUESTION = new RegExp(
  String.raw`^(?:what|what's|whats|who|who's|whom|whose|where|where's|when|why|how|how's|which)\b|^(?:do|does|did|can|could|would|will|should|shall|is|are|am|was|were|have|has|had|may|might|isn't|aren't|don't|doesn't|didn't|won't|wouldn't|can't|couldn't|shouldn't|haven't|hasn't)\s+(?:you|u|i|we|they|he|she|it|my|your|the|this|that|there|anyone|someone|somebody)\b`,
  "iu",
);
const ZH_QUESTION = /吗\s*$|什么|啥|谁|哪|多少|怎么|怎样|为什么|为何|如何|是否|有没有|能不能|可不可以|要不要|几(?:个|岁|号|点|月|天|年|次|位|楼)|呢\s*$|(\p{Script=Han})不\1/u;

function looksLikeQuestion(c: string): boolean {
  return EN_QUESTION.test(c) || ZH_QUESTION.test(c);
}

// "Can you call me Al?", "你能用中文回答吗": a question in form, a request in meaning.
function politeRequest(c: string): string | null {
  const en = /^(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+)?(.+?)(?:,?\s+(?:please|pls|thanks|thank\s+you))?$/iu.exec(c);
  if (en) return en[1]!;
  const zh = /^(?:你|您)?(?:能不能|可不可以|能否|能|可以)(?:请|帮我)?(.+?)(?:好吗|吗|么|吧)?$/u.exec(c);
  if (zh) return zh[1]!;
  const tag = /^(.+?)(?:,?\s*(?:好吗|好不好|可以吗|行吗|行不行|ok吗))$/iu.exec(c);
  if (tag) return tag[1]!;
  return null;
}

// "I like tea, love coffee", "我喜欢咖啡，也喜欢茶": the verb's subject is the previous clause's.
const EN_SUBJECTLESS = new RegExp(
  String.raw`^${EN_ADV}(?:like|love|enjoy|prefer|adore|hate|dislike|detest|loathe|despise|don't|do\s+not|dont|can't|cannot|never|live|work|moved|am)\b`,
  "iu",
);
const ZH_SUBJECTLESS = new RegExp(`^(?:也|还|又|并)*${ZH_ADV}${ZH_NEG}?(?:喜欢|爱|讨厌|受不了|住在|来自|对.{1,12}过敏|是一名|吃|喝)`, "u");

function inheritSubject(clause: string, previous: string | null): string {
  if (previous === null) return clause;
  if (/^(?:i|i'm|im|i've)\b/iu.test(previous) && EN_SUBJECTLESS.test(clause)) return `I ${clause}`;
  const zh = clause.replace(/^(?:而且|并且|但是|可是|不过|但)/u, "");
  if (previous.startsWith("我") && ZH_SUBJECTLESS.test(zh)) return `我${zh}`;
  return clause;
}

interface Ctx {
  /** The previous clause was (or ended with) a greeting: "Hi, I'm Alice", "你好，我是小明". */
  afterGreeting: boolean;
}

interface SentenceResult {
  candidates: MemoryCandidate[];
  /** Clauses nothing was found in (used to keep the rest of a note's body). */
  leftovers: string[];
}

function readSentence(sentence: Sentence, ctx: Ctx, noteBody: boolean): SentenceResult {
  const clauses = splitClauses(sentence.text);
  const candidates: MemoryCandidate[] = [];
  const leftovers: string[] = [];
  let previous: string | null = null;
  for (const [i, clause] of clauses.entries()) {
    const { text: stripped, greeted } = stripFillers(clause.text);
    const greeting = ctx.afterGreeting || greeted;
    ctx.afterGreeting = greeted && stripped === "";
    if (stripped === "") continue;
    const c = inheritSubject(stripped, previous);
    previous = c;
    if (noteBody) {
      const found = readStatement(c, { afterGreeting: false });
      if (found) candidates.push(...found);
      else leftovers.push(c);
      continue;
    }
    if (EN_CONDITIONAL.test(c) || ZH_CONDITIONAL.test(c)) break;
    // A note's body is the rest of the sentence, commas and all.
    const tail = NOTE_START.test(c) ? stripFillers(sentence.text.slice(clause.start)).text : "";
    if ((sentence.question && i === clauses.length - 1) || looksLikeQuestion(c)) {
      const request = politeRequest(c);
      const found = request === null ? null : (readNote(tail) ?? readRequest(request));
      if (found) candidates.push(...found);
      continue;
    }
    const note = readNote(tail);
    if (note) {
      candidates.push(...note);
      break; // a note's body is the rest of the sentence
    }
    const found = readRequest(c) ?? readStatement(c, { afterGreeting: greeting });
    if (found) candidates.push(...found);
  }
  return { candidates, leftovers };
}

/** What may be asked for politely: standing instructions, how to be called. */
function readRequest(c: string): MemoryCandidate[] | null {
  return instructionEn(c) ?? instructionZh(c) ?? callMeEn(c) ?? callMeZh(c);
}

type Rule = (c: string, ctx: Ctx) => MemoryCandidate[] | null;

function readStatement(c: string, ctx: Ctx): MemoryCandidate[] | null {
  for (const rule of STATEMENT_RULES) {
    const found = rule(c, ctx);
    if (found && found.length > 0) return found;
  }
  return null;
}

// ------------------------------------------------------------------------------------------------
// Values: trimming, cutting, capping.

const EDGE_NOISE = /^[\s"'「」『』《》*_~`]+|[\s"'「」『』《》*_~`.,!?;:。、~-]+$/gu;
const EN_TRAILING_NOISE = /(?:\s+(?:please|pls|plz|thanks|thank\s+you|thx|ty|lol|haha+|hehe|lmao|btw|by\s+the\s+way|though|tho|ok|okay|:\)|:-\)|;\)|:d|xd))+$/iu;
const EN_CUT = /\s+(?:because|cause|'cause|since|but|though|although|unless|whereas|so\s+that|if|when|whenever|while)\b.*$/iu;
const ZH_CUT = /(?:因为|所以|但是|可是|不过|如果|而且|并且|然后|虽然).*$/u;
const ZH_PARTICLES = /[了啊呀哦喔哈啦吧嘛噢哟呗嘞~\s]+$/u;

function capValue(s: string): string {
  const chars = Array.from(s);
  if (chars.length <= MAX_VALUE) return s;
  const cut = chars.slice(0, MAX_VALUE).join("");
  const space = cut.lastIndexOf(" ");
  return `${(space > MAX_VALUE * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

function tidy(s: string): string {
  return s.replace(EDGE_NOISE, "").replace(/\s+/gu, " ").trim();
}

function cleanEn(v: string): string {
  return capValue(tidy(tidy(v.replace(EN_CUT, "")).replace(EN_TRAILING_NOISE, "")));
}

function cleanZh(v: string): string {
  return capValue(tidy(tidy(v.replace(ZH_CUT, "")).replace(ZH_PARTICLES, "")));
}

/** "my mom" in "I love my mom" is the user's: "The user loves their mom." */
function thirdPersonObject(s: string): string {
  return s
    .replace(/\bmyself\b/giu, "themselves")
    .replace(/\bmine\b/giu, "theirs")
    .replace(/\bmy\b/giu, "their")
    .replace(/\bme\b/giu, "them");
}

const PAST_OR_AMBIGUOUS = new Set(
  "went had got made took said saw came knew thought bought left lost found put set told gave ate drank wrote ran began kept felt met paid sent spent forgot broke chose drove flew grew held hurt led let meant read rode sat slept sold stood swam taught threw understood woke won wore built caught brought fought heard hit cut quit shut spoke became did was were".split(" "),
);
const MODALS = new Set("can could will would shall should may might must".split(" "));

function presentThirdPerson(verb: string): string {
  if (!/^[a-z]+$/u.test(verb) || MODALS.has(verb) || PAST_OR_AMBIGUOUS.has(verb) || verb.endsWith("ed")) return verb;
  if (verb === "have") return "has";
  if (verb === "do") return "does";
  if (/(?:s|sh|ch|x|z|o)$/u.test(verb)) return `${verb}es`;
  if (/[^aeiou]y$/u.test(verb)) return `${verb.slice(0, -1)}ies`;
  return `${verb}s`;
}

/** A note about the user, in the third person: "my car is in B2" → "the user's car is in B2". */
function thirdPersonNoteEn(s: string): string {
  return s
    .replace(/\b(?:i'm|i\s+am)\b/giu, "the user is")
    .replace(/\b(?:i've|i\s+have)\b/giu, "the user has")
    .replace(/\bi\s+was\b/giu, "the user was")
    .replace(/\b(?:i'll|i\s+will)\b/giu, "the user will")
    .replace(/\bi'd\b/giu, "the user would")
    .replace(/\bi\s+(?:don't|do\s+not|dont)\b/giu, "the user does not")
    .replace(/\bi\s+(?:didn't|did\s+not)\b/giu, "the user did not")
    .replace(/\bi\s+(?:can't|cannot)\b/giu, "the user cannot")
    .replace(
      /\b[Ii]\s+((?:(?:always|usually|often|sometimes|never|also|just|really|still|only|normally|typically|generally|rarely|already|actually)\s+)*)([a-z]+)\b/gu,
      (_, adverbs: string, verb: string) => `the user ${adverbs}${presentThirdPerson(verb)}`,
    )
    .replace(/\bI\b/gu, "the user")
    .replace(/\b(?:my|mine)\b/giu, "the user's")
    .replace(/\b(?:me|myself)\b/giu, "the user");
}

function thirdPersonNoteZh(s: string): string {
  return s.replace(/我的/gu, "用户的").replace(/我(?!们)/gu, "用户");
}

function sentenceCase(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// Patterns are written inline, next to the code that reads their groups, and compiled once per
// call site (a template's strings array is the same object on every call), so the interpolated
// parts must be constants. Never used with /g.
function rx(flags: string) {
  const compiled = new WeakMap<TemplateStringsArray, RegExp>();
  return (strings: TemplateStringsArray, ...parts: string[]): RegExp => {
    let re = compiled.get(strings);
    if (!re) {
      re = new RegExp(String.raw({ raw: strings.raw }, ...parts), flags);
      compiled.set(strings, re);
    }
    return re;
  };
}
const en = rx("iu");
const zh = rx("u");

const I_AM = String.raw`(?:i'm|i\s+am|im)`;

// ------------------------------------------------------------------------------------------------
// Names.

const NAME_STOP = new Set(
  "not a an the to by on in at for when whenever if later back now anytime tomorrow tonight today please maybe soon again about after before so what that this it him her them you up out over secret unknown private whatever something nothing anything crazy lazy paranoid silly weird stupid naive old old-fashioned biased sorry fine good great ok okay here there ready happy glad excited tired bored confused lost stuck curious wondering looking trying going using working just still also really very well alright new american british chinese english french german japanese korean indian canadian australian spanish italian russian".split(" "),
);

function cleanName(raw: string, maxWords: number): string | null {
  const v = tidy(
    cleanEn(raw.replace(/\s+(?:and|but|from\s+now\s+on|instead|for\s+short|btw|by\s+the\s+way|so)\b.*$/iu, "")).replace(
      /\s+(?:please|though|haha+|lol)$/iu,
      "",
    ),
  );
  const words = v.split(" ");
  if (v === "" || words.length > maxWords || Array.from(v).length > 60) return null;
  if (NAME_STOP.has(words[0]!.toLowerCase()) || !/\p{L}/u.test(v)) return null;
  return v;
}

function nameEn(c: string): MemoryCandidate[] | null {
  const m = en`^(?:my\s+(?:(first|full|real|given)\s+)?name(?:\s+is|'s|s)|the\s+name's|${I_AM}\s+called)\s+(.+)$`.exec(c);
  if (!m) return null;
  const name = cleanName(m[2]!, 6);
  if (!name) return null;
  return [candidate("fact", "name", `The user's ${m[1] ? `${m[1].toLowerCase()} ` : ""}name is ${name}.`, 5)];
}

function callMeEn(c: string): MemoryCandidate[] | null {
  const m = en`^(?:(?:you\s+can|you\s+may|you\s+should|please|just|simply)\s+)*(?:(everyone|everybody|people|my\s+friends|friends)\s+calls?|call|i\s+go\s+by)\s+(?:me\s+)?(.+)$`.exec(c);
  if (!m || (!/\bme\s/iu.test(m[0]) && !/^i\s+go\s+by/iu.test(c))) return null;
  const name = cleanName(m[2]!, 4);
  if (!name) return null;
  const goesBy = m[1] !== undefined || /^i\s+go\s+by/iu.test(c);
  return [candidate("fact", "name", goesBy ? `The user goes by ${name}.` : `The user wants to be called ${name}.`, 5)];
}

// "Hi, I'm Alice": only right after a greeting, and only a capitalised name.
function introEn(c: string, ctx: Ctx): MemoryCandidate[] | null {
  if (!ctx.afterGreeting) return null;
  const m = en`^${I_AM}\s+(.+)$`.exec(c);
  if (!m) return null;
  const name = cleanName(m[1]!, 3);
  if (!name || !name.split(" ").every((w) => /^\p{Lu}/u.test(w))) return null;
  return [candidate("fact", "name", `The user's name is ${name}.`, 5)];
}

const ZH_NAME_REJECT = /^(?:了|过|着|外卖|车|人|他|她|它|你|您|醒|起|来|去|上|下|回|快递|一声|一下|什么|啥|谁)/u;

function cleanZhName(raw: string): string | null {
  let v = raw.replace(/(?:就行了|就行|就好了|就好|就可以了|就可以|就是了|好了|即可)$/u, "");
  if (/^\p{Script=Han}/u.test(v)) v = v.replace(/(?:今年|现年|来自|住在|是一名|是一个|是个|在.{1,15}(?:工作|上班|上学|读书)|\s).*$/u, "");
  v = cleanZh(v);
  if (v === "" || ZH_NAME_REJECT.test(v) || /什么|啥|谁|吗/u.test(v)) return null;
  const han = v.match(/\p{Script=Han}/gu)?.length ?? 0;
  if (han > 6 || (han === 0 && v.split(" ").length > 5)) return null;
  return v;
}

function nameZh(c: string): MemoryCandidate[] | null {
  const m = /^我(?:的名字(?:是|叫)|名字(?:是|叫)|的姓名是|姓名是|叫|名叫)(.+)$/u.exec(c);
  if (m) {
    const name = cleanZhName(m[1]!);
    return name ? [candidate("fact", "name", `用户的名字是${name}。`, 5)] : null;
  }
  const surname = /^我姓(.+)$/u.exec(c);
  if (surname) {
    const v = cleanZh(surname[1]!);
    return /^(?:\p{Script=Han}{1,2}|[A-Za-z'-]{1,30})$/u.test(v) ? [candidate("fact", "surname", `用户姓${v}。`, 4)] : null;
  }
  return null;
}

function callMeZh(c: string): MemoryCandidate[] | null {
  const m = /^(?:你|您)?(?:以后|今后)?(?:可以|就|请|直接|都|也可以)*(?:叫我|称呼我|喊我)(?:为)?(.+)$/u.exec(c);
  if (!m) return null;
  const name = cleanZhName(m[1]!);
  return name ? [candidate("fact", "name", `用户希望被称为${name}。`, 5)] : null;
}

function introZh(c: string, ctx: Ctx): MemoryCandidate[] | null {
  if (!ctx.afterGreeting) return null;
  const m = /^我是(.+)$/u.exec(c);
  if (!m) return null;
  const v = cleanZh(m[1]!);
  const hanName = /^\p{Script=Han}{2,4}$/u.test(v) && !/[人者家员师生的个一在从来]$|[的个一在]/u.test(v) && !ZH_OCCUPATION.test(v);
  const latinName = /^\p{Lu}[\p{L}'-]*(?: \p{Lu}[\p{L}'-]*){0,2}$/u.test(v);
  return hanName || latinName ? [candidate("fact", "name", `用户的名字是${v}。`, 5)] : null;
}

// ------------------------------------------------------------------------------------------------
// Places.

const EN_TIME_TAIL = /(?:\s+(?:now|right\s+now|currently|at\s+the\s+moment|these\s+days|nowadays|recently|lately|already|too|as\s+well|since\s+.+|for\s+(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a\s+few|several|many|some)\s+.+|last\s+(?:year|month|week|summer|winter|spring|fall|autumn)|this\s+(?:year|month|week)|(?:\d+|a|one|two|three|four|five|a\s+few|several|many)\s+(?:years?|months?|weeks?|days?)\s+ago|a\s+while\s+ago|in\s+\d{4}|back\s+in\s+\d{4}))+$/iu;
const PLACE_REJECT = /^(?:it|this|that|there|here|fear|hope|denial|the\s+moment|the\s+past|the\s+present|peace|a\s+dream|my\s+head|your)\b/iu;

function cleanPlace(raw: string): string | null {
  const v = cleanEn(thirdPersonObject(tidy(raw.replace(/\s+(?:with|where|which|who)\b.*$/iu, "")).replace(EN_TIME_TAIL, "")));
  return v === "" || PLACE_REJECT.test(v) ? null : v;
}

function placeEn(c: string): MemoryCandidate[] | null {
  let m = en`^i\s+${EN_ADV}(?:live|reside|(?:'m|am)\s+living)\s+(in|at|on|near)\s+(.+)$`.exec(c) ?? en`^${I_AM}\s+${EN_ADV}(?:living)\s+(in|at|on|near)\s+(.+)$`.exec(c);
  if (m) {
    const place = cleanPlace(m[2]!);
    return place ? [candidate("fact", "location", `The user lives ${m[1]!.toLowerCase()} ${place}.`, 4)] : null;
  }
  m = en`^${I_AM}\s+${EN_ADV}(based|located|settled)\s+(in|at|near)\s+(.+)$`.exec(c);
  if (m) {
    const place = cleanPlace(m[3]!);
    return place ? [candidate("fact", "location", `The user is ${m[1]!.toLowerCase()} ${m[2]!.toLowerCase()} ${place}.`, 4)] : null;
  }
  m = en`^i\s+${EN_ADV}(?:(?:have|'ve)\s+)?${EN_ADV}(?:moved|relocated)\s+(?:back\s+)?(?:to|into)\s+(.+)$`.exec(c);
  if (m) {
    const place = cleanPlace(m[1]!);
    return place ? [candidate("fact", "location", `The user moved to ${place}.`, 4)] : null;
  }
  m = en`^(?:${I_AM}\s+${EN_ADV}(?:originally\s+)?from|i\s+${EN_ADV}(?:originally\s+)?come\s+from)\s+(.+)$`.exec(c);
  if (m) {
    const place = cleanPlace(m[1]!);
    return place ? [candidate("fact", "hometown", `The user is from ${place}.`, 3)] : null;
  }
  return null;
}

function placeZh(c: string): MemoryCandidate[] | null {
  let m = zh`^我${ZH_ADV}住在(.+)$`.exec(c);
  if (m) {
    const v = cleanZh(m[1]!);
    return v && !/^(?:哪|这|那)/u.test(v) ? [candidate("fact", "location", `用户住在${v}。`, 4)] : null;
  }
  m = zh`^我${ZH_ADV}(?:刚刚|刚|已经|最近|去年|今年)*搬(?:家)?(?:到|去)了?(.+)$`.exec(c);
  if (m) {
    const v = cleanZh(m[1]!);
    return v && !/^(?:哪|这|那)/u.test(v) ? [candidate("fact", "location", `用户搬到了${v}。`, 4)] : null;
  }
  m = zh`^我${ZH_ADV}来自(.+)$`.exec(c);
  if (m) {
    const v = cleanZh(m[1]!);
    return v && !/^(?:哪|这|那)/u.test(v) ? [candidate("fact", "hometown", `用户来自${v}。`, 3)] : null;
  }
  m = /^我是(\p{Script=Han}{2,6})人$/u.exec(c);
  if (m && !/^(?:一|个|好|坏|普通|正常|成年|男|女|大|小|老|年轻|外|本地|穷|有钱|聪明|懒|病|工|什么|哪)/u.test(m[1]!) && !/[个的]/u.test(m[1]!)) {
    return [candidate("fact", "hometown", `用户是${m[1]}人。`, 3)];
  }
  return null;
}

// ------------------------------------------------------------------------------------------------
// Work and study.

const OCCUPATIONS = new Set(
  "accountant actor actress administrator admin analyst architect artist assistant associate attorney auditor author baker banker barber barista bartender biologist blogger bookkeeper broker builder butcher buyer carpenter caregiver carer cashier ceo cfo chef chemist cleaner clerk coach coder consultant contractor cook coo cop copywriter counselor counsellor cto dancer dentist designer detective developer dietitian director dj doctor driver economist editor educator electrician engineer entrepreneur farmer firefighter fireman founder co-founder cofounder freelancer gardener geologist hairdresser historian homemaker housewife illustrator influencer instructor intern interpreter investor janitor journalist judge lawyer lecturer librarian lifeguard machinist manager marketer mathematician mechanic midwife miner model musician nanny nurse officer optometrist painter paralegal paramedic pastor pharmacist photographer physician physicist physiotherapist pilot plumber poet policeman policewoman politician postdoc priest principal producer professor programmer psychiatrist psychologist rabbi realtor receptionist recruiter reporter researcher retiree sailor salesman salesperson saleswoman scholar scientist sculptor secretary singer soldier statistician streamer student surgeon surveyor sysadmin tailor teacher technician therapist trader trainer translator tutor undergrad undergraduate vet veterinarian waiter waitress welder writer youtuber".split(" "),
);
const OCCUPATION_SUFFIX = /(?:ologist|ician|grapher|engineer|developer|designer|manager|teacher|writer|worker|maker|keeper)$/u;
const NOT_A_JOB = new Set(
  "fan bit little lot big huge regular member guest customer user beginner newbie novice person people guy girl boy man woman kid child mess fool idiot genius bot human robot believer lover sucker mom dad mother father parent wife husband friend type fraction part night morning early owl bird".split(" "),
);

function isOccupation(role: string): boolean {
  const head = role.toLowerCase().split(" ").at(-1)!.replace(/[^a-z-]/gu, "");
  return OCCUPATIONS.has(head) || OCCUPATION_SUFFIX.test(head);
}

function jobEn(c: string): MemoryCandidate[] | null {
  let m = en`^i\s+${EN_ADV}(?:work|(?:'m|am)\s+working)\s+as\s+(.+)$`.exec(c);
  if (m) {
    const role = cleanEn(thirdPersonObject(m[1]!));
    return role ? [candidate("fact", "job", `The user works as ${role}.`, 4)] : null;
  }
  m = en`^i\s+${EN_ADV}(?:work|(?:'m|am)\s+working)\s+(at|for|in)\s+(.+?)(?:\s+as\s+(an?\s+.+))?$`.exec(c);
  if (m) {
    const place = cleanEn(thirdPersonObject(m[2]!));
    if (!place || PLACE_REJECT.test(place)) return null;
    const out = [candidate("fact", "workplace", `The user works ${m[1]!.toLowerCase()} ${place}.`, 3)];
    const role = m[3] ? cleanEn(m[3]) : "";
    if (role) out.push(candidate("fact", "job", `The user works as ${role}.`, 4));
    return out;
  }
  m = en`^i\s+${EN_ADV}(?:study|(?:'m|am)\s+studying|go\s+to\s+(?:school|college|university|uni))\s+at\s+(.+)$`.exec(c);
  if (m) {
    const school = cleanEn(m[1]!);
    return school ? [candidate("fact", "school", `The user studies at ${school}.`, 3)] : null;
  }
  m = en`^${I_AM}\s+(?:now\s+|currently\s+|already\s+)?(retired|unemployed|self-employed|between\s+jobs)$`.exec(c);
  if (m) return [candidate("fact", "job", `The user is ${m[1]!.toLowerCase()}.`, 4)];
  m = en`^${I_AM}\s+(?:now\s+|currently\s+|actually\s+|also\s+)?(an?)\s+(.+?)(?:\s+(at|for|with|in)\s+(.+))?$`.exec(c);
  if (m) {
    const role = tidy(m[2]!);
    const words = role.toLowerCase().split(" ");
    if (words.length > 5 || NOT_A_JOB.has(words[0]!) || NOT_A_JOB.has(words.at(-1)!)) return null;
    const org = m[4] ? cleanEn(thirdPersonObject(m[4])) : "";
    if (!isOccupation(role) && !org) return null;
    const at = org ? ` ${m[3]!.toLowerCase()} ${org}` : "";
    return [candidate("fact", "job", `The user is ${m[1]!.toLowerCase()} ${cleanEn(role)}${at}.`, 4)];
  }
  m = en`^my\s+(?:job|occupation|profession|job\s+title|title|role|line\s+of\s+work)(?:\s+is|'s)\s+(.+)$`.exec(c);
  if (m) {
    const job = cleanEn(thirdPersonObject(m[1]!));
    const first = job.toLowerCase().split(" ")[0] ?? "";
    const ok =
      /^(?:a|an|to|being)$/u.test(first) ||
      isOccupation(job) ||
      (/^[a-z]+ing$/u.test(first) && !/^(?:boring|amazing|exhausting|annoying|tiring|interesting|demanding|challenging|killing|draining|frustrating|rewarding|stressing|getting|going)$/u.test(first));
    return job && ok ? [candidate("fact", "job", `The user's job is ${job}.`, 4)] : null;
  }
  return null;
}

const ZH_OCCUPATION = /(?:医生|老师|教师|学生|大学生|研究生|博士生|程序员|工程师|护士|律师|设计师|会计师|会计|厨师|司机|警察|记者|作家|演员|歌手|画家|经理|销售|科学家|研究员|教授|医师|药剂师|建筑师|摄影师|翻译|编辑|公务员|军人|农民|工人|商人|老板|创业者|自由职业者|码农|主播|博主|客服|法官|保安|快递员|外卖员|服务员|店员|消防员|飞行员|空姐|导游|运动员|教练|音乐家|艺术家|分析师|咨询师|顾问|架构师|实习生|产品经理|运营|全职妈妈|家庭主妇|退休人员)$/u;

function jobZh(c: string): MemoryCandidate[] | null {
  let m = zh`^我${ZH_ADV}是(一名|一位)(.+)$`.exec(c);
  if (m) {
    const v = cleanZh(m[2]!);
    return v && !/^(?:好|坏|普通)/u.test(v) ? [candidate("fact", "job", `用户是${m[1]}${v}。`, 4)] : null;
  }
  m = zh`^我${ZH_ADV}是(一个|一只)?(\p{Script=Han}{1,8})$`.exec(c);
  if (m && ZH_OCCUPATION.test(m[2]!)) return [candidate("fact", "job", `用户是${m[1] ?? ""}${m[2]}。`, 4)];
  m = zh`^我${ZH_ADV}是(做|搞|干)(.+?)的$`.exec(c);
  if (m) {
    const v = cleanZh(m[2]!);
    return v ? [candidate("fact", "job", `用户是${m[1]}${v}的。`, 4)] : null;
  }
  m = /^我的(工作|职业)是(.+)$/u.exec(c);
  if (m) {
    const v = cleanZh(m[2]!);
    return v ? [candidate("fact", "job", `用户的${m[1]}是${v}。`, 4)] : null;
  }
  m = zh`^我${ZH_ADV}在(.+?)(?:当|做|担任)(.+)$`.exec(c);
  if (m && ZH_OCCUPATION.test(cleanZh(m[2]!))) {
    return [candidate("fact", "job", `用户在${cleanZh(m[1]!)}当${cleanZh(m[2]!)}。`, 4)];
  }
  m = zh`^我${ZH_ADV}在(.+?)(工作|上班|任职|实习)$`.exec(c.replace(ZH_PARTICLES, ""));
  if (m) {
    const v = cleanZh(m[1]!);
    return v && !/^(?:哪|这|那)/u.test(v) ? [candidate("fact", "workplace", `用户在${v}${m[2]}。`, 3)] : null;
  }
  m = zh`^我${ZH_ADV}在(.+?)(上学|读书|念书|读大学|上大学|读研究生|读研|读博|留学)$`.exec(c.replace(ZH_PARTICLES, ""));
  if (m) {
    const v = cleanZh(m[1]!);
    return v && !/^(?:哪|这|那)/u.test(v) ? [candidate("fact", "school", `用户在${v}${m[2]}。`, 3)] : null;
  }
  return null;
}

// ------------------------------------------------------------------------------------------------
// Birthdays.

const MONTH = String.raw`(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b`;
const RELATIVE_DAY = /^(?:today|tomorrow|tonight|yesterday|next|this|coming|soon|in\s+\d+|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b/iu;

function birthdayEn(c: string): MemoryCandidate[] | null {
  let m = en`^my\s+(?:birthday|bday|b-day|date\s+of\s+birth|dob)(?:\s+is|'s|\s+falls)\s+(?:on\s+|in\s+)?(.+)$`.exec(c);
  if (m) {
    const v = cleanEn(m[1]!);
    return v && !RELATIVE_DAY.test(v) ? [candidate("fact", "birthday", `The user's birthday is ${v}.`, 4)] : null;
  }
  m = en`^i\s+was\s+born\s+(on|in)\s+(.+)$`.exec(c);
  if (!m) return null;
  const out: MemoryCandidate[] = [];
  let rest = cleanEn(m[2]!);
  if (m[1]!.toLowerCase() === "on") {
    const [day, place] = rest.split(/\s+in\s+/iu, 2);
    if (day && !RELATIVE_DAY.test(day)) out.push(candidate("fact", "birthday", `The user was born on ${day}.`, 4));
    rest = place ?? "";
  }
  for (const part of rest ? rest.split(/\s+in\s+/iu) : []) {
    if (/^\d{4}$/u.test(part)) out.push(candidate("fact", "birth-year", `The user was born in ${part}.`, 3));
    else if (en`^${MONTH}`.test(part)) out.push(candidate("fact", "birthday", `The user was born in ${part}.`, 4));
    else if (!PLACE_REJECT.test(part)) out.push(candidate("fact", "birthplace", `The user was born in ${part}.`, 3));
  }
  return out;
}

const ZH_RELATIVE_DAY = /^(?:今天|明天|昨天|后天|前天|下(?:个)?(?:周|星期|礼拜|月)|这(?:个)?(?:周|星期|礼拜|月)|快到了|快了|什么|哪)/u;

function birthdayZh(c: string): MemoryCandidate[] | null {
  let m = /^我的?生日(?:是|在|:)\s*(.+)$/u.exec(c) ?? /^我的?生日(\d.*)$/u.exec(c);
  if (m) {
    const v = cleanZh(m[1]!);
    return v && !ZH_RELATIVE_DAY.test(v) ? [candidate("fact", "birthday", `用户的生日是${v}。`, 4)] : null;
  }
  m = /^我是(\d{2,4})年(?:出)?生的$/u.exec(c);
  if (m) return [candidate("fact", "birth-year", `用户是${m[1]}年出生的。`, 3)];
  m = /^我(?:出生于|出生在|生于|生在)(.+?)(?:出生)?$/u.exec(c);
  if (m) {
    const v = cleanZh(m[1]!);
    if (!v) return null;
    if (/^\d{4}年?$/u.test(v)) return [candidate("fact", "birth-year", `用户出生于${v}。`, 3)];
    if (/\d+\s*(?:月|日|号)/u.test(v)) return [candidate("fact", "birthday", `用户出生于${v}。`, 4)];
    return [candidate("fact", "birthplace", `用户出生在${v}。`, 3)];
  }
  return null;
}

// ------------------------------------------------------------------------------------------------
// Likes, dislikes, favourites, diet, allergies.

const EN_OBJECT_REJECT = /^(?:you|u|ya|ye|it|it's|its|this|that|these|those|them|him|her|me|us|your|ur|yours|what|how|when|where|who|why|which|whatever|there|here|so|too|more|less|not|the\s+way|the\s+idea|to\s+think|to\s+say|to\s+believe|to\s+imagine|to\s+know|to\s+hear)\b/iu;
const EN_KEEP_ADVERBS = /\b(?:actually|also|just|still|do|honestly|seriously|now|currently|recently|already|personally)\b/giu;

function keptAdverbs(adv: string | undefined): string {
  const kept = (adv ?? "").replace(EN_KEEP_ADVERBS, " ").replace(/\bkinda\b/giu, "kind of").replace(/\s+/gu, " ").trim().toLowerCase();
  return kept ? `${kept} ` : "";
}

/** The slot of a liked thing: "drinking green tea" and "green tea" are one opinion. */
function prefKey(object: string): string | null {
  let o = object
    .replace(/^to\s+/iu, "")
    .replace(/^(?:drink|drinking|eat|eating|watch|watching|play|playing|listen\s+to|listening\s+to)\s+(?=\S)/iu, "");
  if (!/^(?:玩具|看法|打折|打扮|打工|听说|吃醋|看病|打扰)/u.test(o)) o = o.replace(/^上了?(?=\S)/u, "").replace(/^(?:喝|吃|看|听|玩|打)(?=\S)/u, "");
  const k = normaliseForKey(o);
  return k ? `pref:${k}` : null;
}

function prefEn(object: string, sentence: (o: string) => string, keyPart?: string): MemoryCandidate[] | null {
  const o = cleanEn(thirdPersonObject(object));
  if (!o || EN_OBJECT_REJECT.test(o)) return null;
  const key = prefKey(keyPart !== undefined ? cleanEn(thirdPersonObject(keyPart)) : o);
  return key ? [candidate("preference", key, sentence(o), 3)] : null;
}

const THIRD_PERSON: Record<string, string> = {
  like: "likes", love: "loves", enjoy: "enjoys", prefer: "prefers", adore: "adores", dig: "digs",
  dislike: "dislikes", hate: "hates", detest: "detests", loathe: "loathes", despise: "despises",
};

function preferenceEn(c: string): MemoryCandidate[] | null {
  let m = en`^my\s+(?:all[-\s]time\s+|absolute\s+|very\s+|most\s+)?(favou?rite|fave|fav)\s+(.+?)(?:\s+(is|are)|'s)\s+(.+)$`.exec(c);
  if (m) {
    const thing = cleanEn(m[2]!);
    const value = cleanEn(thirdPersonObject(m[4]!));
    if (!thing || !value || thing.split(" ").length > 6 || EN_OBJECT_REJECT.test(value)) return null;
    const word = m[1]!.toLowerCase().startsWith("favou") ? "favourite" : "favorite";
    return [candidate("preference", `pref:favorite-${normaliseForKey(thing)}`, `The user's ${word} ${thing} ${(m[3] ?? "is").toLowerCase()} ${value}.`, 3)];
  }
  m = en`^(.+?)\s+(is|are)\s+my\s+(?:all[-\s]time\s+|absolute\s+)?(favou?rite|fave|fav)(?:\s+(.+))?$`.exec(c);
  if (m) {
    const value = cleanEn(thirdPersonObject(m[1]!));
    if (!value || EN_OBJECT_REJECT.test(value) || value.split(" ").length > 8) return null;
    const word = m[3]!.toLowerCase().startsWith("favou") ? "favourite" : "favorite";
    const thing = m[4] ? cleanEn(m[4]) : "";
    if (thing) return [candidate("preference", `pref:favorite-${normaliseForKey(thing)}`, `The user's ${word} ${thing} ${m[2]!.toLowerCase()} ${value}.`, 3)];
    return prefEn(value, (o) => `${sentenceCase(o)} ${m![2]!.toLowerCase()} the user's ${word}.`);
  }
  m = en`^${I_AM}\s+(not\s+)?(?:really\s+|so\s+|such\s+)?(?:(?:a|much\s+of\s+a)\s+)?((?:big|huge|massive|great|real)\s+)?fan\s+of\s+(.+)$`.exec(c);
  if (m) return prefEn(m[3]!, (o) => `The user is ${m![1] ? "not " : ""}a ${m![2] ? m![2].toLowerCase() : ""}fan of ${o}.`);
  m = en`^${I_AM}\s+(?:such\s+)?an?\s+((?:big|huge|massive|great|real|die-hard|diehard)\s+)?(\S+(?:\s+\S+){0,3}?)\s+fan$`.exec(c);
  if (m) return prefEn(m[2]!, (o) => `The user is a ${m![1] ? m![1].toLowerCase() : ""}${o} fan.`);
  m = en`^${I_AM}\s+(?:really\s+|so\s+|totally\s+|very\s+much\s+)?into\s+(.+)$`.exec(c);
  if (m) return prefEn(m[1]!, (o) => `The user is into ${o}.`);
  m = en`^i\s+(${EN_ADV})(?:(don't|do\s+not|dont|never)\s+(${EN_ADV})(like|love|enjoy|eat|drink|care\s+for)|(dislike|hate|detest|loathe|despise)|(?:can't|cannot|can\s+not|cant)\s+(${EN_ADV})(stand|bear))\s+(.+)$`.exec(c);
  if (m) {
    const adv = keptAdverbs(m[1]);
    let verb: string;
    if (m[4]) {
      const base = m[4].toLowerCase().replace(/\s+/gu, " ");
      verb = m[2]!.toLowerCase() === "never" ? `never ${keptAdverbs(m[3])}${presentThirdPerson(base.split(" ")[0]!)}${base.includes(" ") ? " for" : ""}` : `does not ${keptAdverbs(m[3])}${base}`;
    } else if (m[5]) verb = THIRD_PERSON[m[5].toLowerCase()]!;
    else verb = `cannot ${keptAdverbs(m[6])}${m[7]!.toLowerCase()}`;
    return prefEn(m[8]!, (o) => `The user ${adv}${verb} ${o}.`);
  }
  m = en`^i\s+(${EN_ADV})(like|love|enjoy|prefer|adore|dig)\s+(.+)$`.exec(c);
  if (m) {
    const verb = m[2]!.toLowerCase();
    const object = m[3]!;
    // "I prefer tea over coffee": the slot is tea's.
    const keyPart = verb === "prefer" ? object.split(/\s+(?:over|rather\s+than|instead\s+of|than)\s+/iu)[0]!.split(/^to\s/iu.test(object) ? /$^/u : /\s+to\s+(?=\S)/iu)[0] : undefined;
    return prefEn(object, (o) => `The user ${keptAdverbs(m![1])}${THIRD_PERSON[verb]} ${o}.`, keyPart);
  }
  return null;
}

const ZH_OBJECT_REJECT = /^(?:你|您|它|他|她|这|那|谁|什么|啥|哪|的|了|过|着|吗|死你|死了|透了|上你|上他|上她)/u;
const ZH_DROP_ADVERBS = /也|还是|还|都|又|就|其实|确实|现在|目前|本来就/gu;

function prefZh(object: string, sentence: (o: string) => string, keyPart?: string): MemoryCandidate[] | null {
  const o = cleanZh(object);
  if (!o || ZH_OBJECT_REJECT.test(o) || ZH_OBJECT_REJECT.test(o.replace(/^上了?/u, ""))) return null;
  const key = prefKey(keyPart ?? o);
  return key ? [candidate("preference", key, sentence(o), 3)] : null;
}

function preferenceZh(c: string): MemoryCandidate[] | null {
  let m = /^我(?:也|还|都)*最(?:喜欢|爱|喜爱)的(.+?)是(.+)$/u.exec(c);
  if (m) {
    const thing = cleanZh(m[1]!);
    const value = cleanZh(m[2]!);
    if (!thing || !value || ZH_OBJECT_REJECT.test(value)) return null;
    return [candidate("preference", `pref:favorite-${normaliseForKey(thing)}`, `用户最喜欢的${thing}是${value}。`, 3)];
  }
  m = /^(.+?)是我最(?:喜欢|爱|喜爱)的(.*)$/u.exec(c);
  if (m) {
    const value = cleanZh(m[1]!);
    const thing = cleanZh(m[2]!);
    if (!value || ZH_OBJECT_REJECT.test(value)) return null;
    if (thing) return [candidate("preference", `pref:favorite-${normaliseForKey(thing)}`, `用户最喜欢的${thing}是${value}。`, 3)];
    return prefZh(value, (o) => `用户最喜欢${o}。`);
  }
  m = zh`^我(${ZH_ADV})(${ZH_NEG})(喜欢|爱|喜爱)(.+)$`.exec(c);
  if (m) return prefZh(m[4]!, (o) => `用户${m![1]!.replace(ZH_DROP_ADVERBS, "")}${m![2]}${m![3]}${o}。`);
  m = zh`^我(${ZH_ADV})(讨厌|厌恶|受不了|反感|恨|烦)(.+)$`.exec(c);
  if (m) return prefZh(m[3]!, (o) => `用户${m![1]!.replace(ZH_DROP_ADVERBS, "")}${m![2]}${o}。`);
  m = zh`^我(${ZH_ADV})(不|从不|从来不)(吃|喝)(.+)$`.exec(c);
  if (m) return prefZh(m[4]!, (o) => `用户${m![1]!.replace(ZH_DROP_ADVERBS, "")}${m![2]}${m![3]}${o}。`);
  m = zh`^我(${ZH_ADV})(喜欢|爱|喜爱|热爱|钟爱|偏爱|迷恋)(.+)$`.exec(c);
  if (m) {
    const object = m[3]!;
    const keyPart = cleanZh(object.split(/而不是|胜过|多过|多于/u)[0]!);
    return prefZh(object, (o) => `用户${m![1]!.replace(ZH_DROP_ADVERBS, "")}${m![2]}${o}。`, keyPart);
  }
  return null;
}

function dietEn(c: string): MemoryCandidate[] | null {
  let m = en`^${I_AM}\s+(?:(?:now|strictly|also)\s+)*(?:an?\s+)?(vegetarian|vegan|pescatarian|pescetarian)$`.exec(c);
  if (m) return [candidate("fact", "diet", `The user is ${m[1]!.toLowerCase()}.`, 4)];
  m = en`^(?:${I_AM}\s+${EN_ADV}(?:severely\s+|very\s+)?(lactose|gluten|fructose|histamine|caffeine|alcohol)[\s-]intolerant|i\s+have\s+(?:an?\s+)?(lactose|gluten|fructose|histamine|caffeine|alcohol)\s+intolerance)$`.exec(c);
  if (m) {
    const what = (m[1] ?? m[2])!.toLowerCase();
    return [candidate("fact", `intolerance:${what}`, `The user is ${what} intolerant.`, 5)];
  }
  return null;
}

function dietZh(c: string): MemoryCandidate[] | null {
  if (zh`^我${ZH_ADV}(?:吃素|是素食者|是素食主义者|是吃素的)$`.test(c.replace(ZH_PARTICLES, ""))) return [candidate("fact", "diet", "用户吃素。", 4)];
  const m = zh`^我${ZH_ADV}(乳糖|麸质|酒精|咖啡因)不耐受$`.exec(c.replace(ZH_PARTICLES, ""));
  return m ? [candidate("fact", `intolerance:${m[1]}`, `用户${m[1]}不耐受。`, 5)] : null;
}

function allergies(list: string, clean: (s: string) => string, sentence: (x: string) => string): MemoryCandidate[] | null {
  const items = list
    .split(/\s*(?:,|、|\band\b|\bor\b|&|\/|和|跟|与|以及|及)\s*/iu)
    .map(clean)
    .filter((x) => x !== "" && !EN_OBJECT_REJECT.test(x) && !ZH_OBJECT_REJECT.test(x))
    .slice(0, 10);
  const out = items.map((x) => candidate("fact", `allergy:${normaliseForKey(x)}`, sentence(x), 5)).filter((x) => x.key !== "allergy:");
  return out.length > 0 ? out : null;
}

function allergyEn(c: string): MemoryCandidate[] | null {
  const clean = (s: string) => cleanEn(thirdPersonObject(s));
  let m = en`^${I_AM}\s+${EN_ADV}(?:(?:very|severely|highly|mildly|slightly|deathly|super|extremely)\s+)?allergic\s+to\s+(.+)$`.exec(c);
  if (m) return allergies(m[1]!, clean, (x) => `The user is allergic to ${x}.`);
  m = en`^i\s+${EN_ADV}have\s+(?:an?\s+)?(?:(?:severe|mild|serious|bad|deadly)\s+)?allerg(?:y|ies)\s+to\s+(.+)$`.exec(c);
  if (m) return allergies(m[1]!, clean, (x) => `The user is allergic to ${x}.`);
  m = en`^i\s+${EN_ADV}have\s+(?:an?\s+)?(?:(?:severe|mild|serious|bad|deadly)\s+)?(.+?)\s+allerg(?:y|ies)$`.exec(c);
  if (m) return allergies(m[1]!, clean, (x) => `The user has a ${x} allergy.`);
  return null;
}

const ZH_NOT_ME = /儿子|女儿|妈|爸|老婆|老公|妻子|丈夫|朋友|孩子|家人|同事|哥|姐|弟|妹|爷|奶|他|她|猫|狗|宝宝|对象|男朋友|女朋友/u;

function allergyZh(c: string): MemoryCandidate[] | null {
  const body = c.replace(ZH_PARTICLES, "");
  let m = zh`^我${ZH_ADV}对(.+?)(?:有点|有些|很|非常|特别|严重|比较|轻微|会)*过敏$`.exec(body);
  if (!m) {
    m = zh`^我${ZH_ADV}(.{1,8}?)(?:有点|有些|很|非常|特别|严重|比较|轻微|会)*过敏$`.exec(body);
    if (m && (/^(?:有|很|不|没|会|容易|可能|对|的|也)/u.test(m[1]!) || /[的们对]/u.test(m[1]!) || ZH_NOT_ME.test(m[1]!))) return null;
  }
  if (!m) return null;
  return allergies(m[1]!, cleanZh, (x) => `用户对${x}过敏。`);
}

// ------------------------------------------------------------------------------------------------
// Standing instructions.

const LANGUAGES_EN =
  "english|chinese|mandarin|cantonese|simplified\\s+chinese|traditional\\s+chinese|japanese|korean|french|german|spanish|italian|portuguese|russian|arabic|hindi|dutch|swedish|norwegian|danish|finnish|polish|turkish|greek|hebrew|vietnamese|thai|indonesian|malay|ukrainian|czech|hungarian|romanian|persian|farsi|urdu|bengali|tagalog|filipino";
const LANGUAGES_ZH = "简体中文|繁体中文|中文|汉语|普通话|简体|繁体|粤语|英文|英语|日语|日文|韩语|韩文|法语|法文|德语|德文|西班牙语|俄语|俄文|意大利语|葡萄牙语|阿拉伯语";
const DURABLE_TAIL_EN = String.raw`(?:\s+(?:only|please|always|from\s+now\s+on|going\s+forward|from\s+here\s+on|in\s+(?:the\s+)?future))*`;

const INSTRUCTION_VERBS = new Set(
  "answer reply respond use write speak talk call address refer give keep include add show explain ask tell remind mention say format end start begin sign cite provide summarize summarise translate check double-check confirm suggest recommend assume be avoid put make send list skip spell greet number structure share offer correct quote link wrap return output print let wait stop try consider round convert measure express limit prefix append mark label bold capitalize capitalise".split(" "),
);
const INSTRUCTION_IDIOMS = /^(?:give\s+up|mind|stop\s+believing|say\s+never|let\s+(?:go|it\s+go)|change|be\s+yourself)\b/iu;

function replyLanguageEn(s: string): MemoryCandidate[] | null {
  const m =
    en`^(?:(?:always|only)\s+)?(?:reply|respond|answer|talk|speak|write|chat|communicate|converse|text)(?:\s+(?:to|with)\s+me)?\s+(?:only\s+)?in\s+(${LANGUAGES_EN})${DURABLE_TAIL_EN}$`.exec(s) ??
    en`^(?:(?:always|only)\s+)?(?:use|speak)\s+(${LANGUAGES_EN})(?:\s+(?:with|to)\s+me)?${DURABLE_TAIL_EN}$`.exec(s);
  if (!m) return null;
  const language = m[1]!.toLowerCase().replace(/\s+/gu, " ").split(" ").map(sentenceCase).join(" ");
  return [candidate("instruction", "instr:language", `The user wants replies in ${language}.`, 4)];
}

function instructionEn(c: string): MemoryCandidate[] | null {
  const prefix = /^(?:(?:please|pls|plz|kindly|i\s+want\s+you\s+to|i'd\s+like\s+you\s+to|i\s+would\s+like\s+you\s+to|i\s+need\s+you\s+to)\s+)*/iu;
  let s = c.replace(prefix, "");
  let marker = "";
  const durable = /^(from\s+now\s+on|going\s+forward|moving\s+forward|in\s+(?:the\s+)?future|henceforth|from\s+here\s+on(?:\s+out)?)\b[\s,:]*/iu.exec(s);
  if (durable) {
    marker = durable[1]!.toLowerCase().replace(/\s+/gu, " ");
    s = s.slice(durable[0].length).replace(prefix, "");
  } else {
    const trailing = /,?\s+(from\s+now\s+on|going\s+forward|moving\s+forward|in\s+(?:the\s+)?future)$/iu.exec(s);
    if (trailing) {
      marker = trailing[1]!.toLowerCase().replace(/\s+/gu, " ");
      s = s.slice(0, trailing.index);
    }
  }
  s = tidy(s.replace(EN_TRAILING_NOISE, ""));
  const language = replyLanguageEn(s);
  if (language) return language;
  if (marker) {
    const fact = readStatement(s, { afterGreeting: false });
    if (fact) return fact;
  }
  const always = /^(always|never(?:\s+ever)?|don't\s+ever|do\s+not\s+ever|don't|do\s+not|dont)\s+/iu.exec(s);
  const polarity = always ? always[1]!.toLowerCase().replace(/\s+/gu, " ").replace(/^dont$/u, "don't") : "";
  if (!marker && (!polarity || polarity === "don't" || polarity === "do not")) return null;
  const body = always ? s.slice(always[0].length) : s;
  const verb = body.split(" ")[0]!.toLowerCase();
  if (!INSTRUCTION_VERBS.has(verb) || INSTRUCTION_IDIOMS.test(body)) return null;
  const key = en`\b(?:in|use|speak)\s+(?:${LANGUAGES_EN})\b`.test(body) ? "instr:language" : `instr:${normaliseForKey(body)}`;
  const phrase = [marker ? `${marker},` : "", polarity, body.charAt(0).toLowerCase() + body.slice(1)].filter(Boolean).join(" ");
  return [candidate("instruction", key, `The user's standing instruction: ${capValue(thirdPersonObject(phrase))}.`, 4)];
}

const ZH_IMPERATIVE = /^(?:都|要|用|使用|以|回答|回复|答复|说|讲|写|给我|跟我|和我|对我|叫我|称呼我|喊我|提醒|告诉|先|把|加上|加|带上|附上|列出|保持|简短|简洁|详细|尽量|少|多|只|直接|标注|解释|翻译|确认|检查|引用|按照|遵循|避免|发|称|问我|在回答|给出|提供|附)/u;

function replyLanguageZh(s: string, asked: boolean): MemoryCandidate[] | null {
  const m = zh`^(?:都|一直|总是|始终|永远|只)*(?:(?:用|使用|以)(${LANGUAGES_ZH})(?:来|进行)?(回答我|回复我|回答|回复|答复|跟我说话|和我说话|跟我交流|和我交流|交流|沟通|说话|聊天|对话|聊|写|说)?|(?:说|讲)(${LANGUAGES_ZH}))(?:我|吧|哦|啊|谢谢)*$`.exec(s);
  if (!m || (m[1] && !m[2] && !asked)) return null;
  return [candidate("instruction", "instr:language", `用户希望用${m[1] ?? m[3]}回答。`, 4)];
}

function instructionZh(c: string): MemoryCandidate[] | null {
  const polite = /^(?:请你|请|麻烦你|麻烦|你)+/u;
  let s = c.replace(ZH_PARTICLES, "");
  const asked = polite.test(s);
  s = s.replace(polite, "");
  const durable = /^(以后|今后|从现在开始|从现在起|从今以后|从今往后|往后|之后)[\s,]*/u.exec(s);
  if (durable) s = s.slice(durable[0].length).replace(/^(?:请你|请|你|就)+/u, "");
  const language = replyLanguageZh(s, asked || durable !== null);
  if (language) return language;
  if (durable) {
    const fact = readStatement(s, { afterGreeting: false }) ?? callMeZh(s);
    if (fact) return fact;
  }
  const always = /^(总是|永远|始终|一直|每次都|每次|再也)(?:都)?/u.exec(s);
  if (always) s = s.slice(always[0].length);
  const neg = /^(不要|别|不准|不许|不用)/u.exec(s);
  if (neg) s = s.slice(neg[0].length);
  if ((!durable && !always) || !ZH_IMPERATIVE.test(s)) return null;
  const body = cleanZh(s);
  if (!body) return null;
  const key = zh`(?:用|使用|说|讲)(?:${LANGUAGES_ZH})`.test(body) ? "instr:language" : `instr:${normaliseForKey(body)}`;
  const phrase = `${durable?.[1] ?? ""}${always?.[0] ?? ""}${neg?.[0] ?? ""}${body}`;
  return [candidate("instruction", key, `用户的长期指示：${phrase}。`, 4)];
}

// ------------------------------------------------------------------------------------------------
// Notes: "remember that ...", "记住...". A note that states facts about the user becomes those facts.

const NOTE_START = /^(?:(?:please|pls|plz|kindly|also|and|just|can|could|would|will|i\s+want|i'd|i\s+need|you|to)\b.*)?\b(?:remember|note|keep|bear|forget|make|take)\b|^(?:请|麻烦|你|帮|记|牢|别忘|不要忘)/iu;

function readNote(tail: string): MemoryCandidate[] | null {
  if (tail === "") return null;
  return noteEn(tail) ?? noteZh(tail);
}

function noteFromBody(body: string, sentence: (rest: string) => string, minChars: number): MemoryCandidate[] | null {
  const { candidates, leftovers } = readSentence({ text: body, question: false }, { afterGreeting: false }, true);
  const rest = candidates.length === 0 ? body : leftovers.join(", ");
  const out = [...candidates];
  const text = capValue(tidy(rest));
  if (Array.from(text).length >= minChars && (candidates.length === 0 || leftovers.length > 0)) out.push(candidate("note", null, sentence(text), 4));
  return out.length > 0 ? out : null;
}

function noteEn(tail: string): MemoryCandidate[] | null {
  const m = en`^((?:(?:please|pls|plz|kindly|also|and|just|can\s+you|could\s+you|would\s+you|will\s+you|i\s+want\s+you\s+to|i'd\s+like\s+you\s+to|i\s+need\s+you\s+to)\s+)*)(remember|note|keep\s+in\s+mind|bear\s+in\s+mind|don't\s+forget|do\s+not\s+forget|never\s+forget|make\s+a\s+note|take\s+note)(?:\s+(?:of\s+)?(that|this))?\s*([:,-])?\s*(.*)$`.exec(tail);
  if (!m) return null;
  const asked = m[1] !== "";
  const word = m[2]!.toLowerCase();
  const marked = m[3]?.toLowerCase() === "that" || m[4] === ":" || m[4] === "-" || (asked && word === "remember") || word !== "remember" && word !== "note";
  const body = tidy(m[5]!.replace(EN_TRAILING_NOISE, ""));
  if (!marked || body === "" || /^to\s/iu.test(body) || body.split(" ").length < 2) return null;
  return noteFromBody(body, (rest) => `Remember: ${thirdPersonNoteEn(rest)}.`, 4);
}

function noteZh(tail: string): MemoryCandidate[] | null {
  const m = /^(请你|请|麻烦你|麻烦|你要|你|帮我|帮忙)*(记住|记下来|记下|记一下|记好|牢记|别忘了|不要忘了|不要忘记|别忘记|记得)(?:一下|下来|好)?[\s:,]*(.*)$/u.exec(tail);
  if (!m || (m[2] === "记得" && !m[1])) return null;
  const body = cleanZh(m[3]!.replace(/^了(?=[\s,]|$)/u, ""));
  if (Array.from(body).length < 2 || /^(?:了|吗|啊|哦|吧)/u.test(body)) return null;
  return noteFromBody(body, (rest) => `记住：${thirdPersonNoteZh(rest)}。`, 2);
}

// ------------------------------------------------------------------------------------------------
// The order matters where patterns overlap: "I'm allergic to", "I'm a fan of" and "I'm vegan"
// before "I'm a <job>"; favourites before plain likes.

const STATEMENT_RULES: Rule[] = [
  nameEn,
  callMeEn,
  allergyEn,
  dietEn,
  birthdayEn,
  preferenceEn,
  placeEn,
  jobEn,
  introEn,
  nameZh,
  callMeZh,
  allergyZh,
  dietZh,
  birthdayZh,
  preferenceZh,
  placeZh,
  jobZh,
  introZh,
];
