// The rule-based memory extractor (worker/memory/rules.ts) on real messages, English and Chinese:
// exact candidates for what a user states about themselves, nothing for questions, other people,
// hypotheticals and smalltalk, one slot per fact, and the same answer every time.
import { describe, expect, it } from "vitest";
import { extractMemoryCandidates as extract, normaliseForKey, type MemoryCandidate } from "../worker/memory/rules.ts";

const fact = (key: string, content: string, importance = 4): MemoryCandidate => ({ kind: "fact", key, content, importance });
const pref = (key: string, content: string): MemoryCandidate => ({ kind: "preference", key, content, importance: 3 });
const instruction = (key: string, content: string): MemoryCandidate => ({ kind: "instruction", key, content, importance: 4 });
const note = (content: string): MemoryCandidate => ({ kind: "note", key: null, content, importance: 4 });

function expectAll(cases: [string, MemoryCandidate[]][]): void {
  for (const [message, expected] of cases) expect(extract(message), message).toEqual(expected);
}

describe("English statements", () => {
  it("reads several statements of one message, each in its slot", () => {
    expectAll([
      [
        "Hi! My name is Alice Chen. I like green tea. Remember that the spare key is under the blue pot.",
        [
          fact("name", "The user's name is Alice Chen.", 5),
          pref("pref:green tea", "The user likes green tea."),
          note("Remember: the spare key is under the blue pot."),
        ],
      ],
      [
        "I live in Paris with my wife and work at Google as an engineer.",
        [fact("location", "The user lives in Paris."), fact("workplace", "The user works at Google.", 3), fact("job", "The user works as an engineer.")],
      ],
      ["I'm from Shanghai but I moved to Berlin last year.", [fact("hometown", "The user is from Shanghai.", 3), fact("location", "The user moved to Berlin.")]],
      [
        "Hey there! My name's Sam, I'm a nurse at St. Mary's and I love cats.",
        [fact("name", "The user's name is Sam.", 5), fact("job", "The user is a nurse at St. Mary's."), pref("pref:cats", "The user loves cats.")],
      ],
      [
        "I like tea, love coffee and hate milk",
        [pref("pref:tea", "The user likes tea."), pref("pref:coffee", "The user loves coffee."), pref("pref:milk", "The user hates milk.")],
      ],
    ]);
  });

  it("names: said, asked for, and introduced after a greeting", () => {
    expectAll([
      ["I'm called Bob", [fact("name", "The user's name is Bob.", 5)]],
      ["call me Al", [fact("name", "The user wants to be called Al.", 5)]],
      ["Could you call me Bob?", [fact("name", "The user wants to be called Bob.", 5)]],
      ["Hi, I'm Alice.", [fact("name", "The user's name is Alice.", 5)]],
      ["My name is Alice, what's yours?", [fact("name", "The user's name is Alice.", 5)]],
      ['My name is   "Alice"!!! ', [fact("name", "The user's name is Alice.", 5)]],
      // One current name: the later statement in the message wins the slot.
      ["My name is Alice, but call me Al.", [fact("name", "The user wants to be called Al.", 5)]],
      ["Call me crazy, but I love pineapple on pizza", [pref("pref:pineapple on pizza", "The user loves pineapple on pizza.")]],
    ]);
  });

  it("work, birthdays, allergies and diet", () => {
    expectAll([
      ["I work as a nurse.", [fact("job", "The user works as a nurse.")]],
      ["I'm a software engineer at Acme.", [fact("job", "The user is a software engineer at Acme.")]],
      ["I'm a teacher", [fact("job", "The user is a teacher.")]],
      ["my job is teaching kids", [fact("job", "The user's job is teaching kids.")]],
      ["My birthday is March 3rd.", [fact("birthday", "The user's birthday is March 3rd.")]],
      ["I was born on May 3, 1990 in Paris", [fact("birthday", "The user was born on May 3, 1990."), fact("birthplace", "The user was born in Paris.", 3)]],
      ["I'm allergic to peanuts and shellfish.", [fact("allergy:peanuts", "The user is allergic to peanuts.", 5), fact("allergy:shellfish", "The user is allergic to shellfish.", 5)]],
      ["I have a peanut allergy", [fact("allergy:peanut", "The user has a peanut allergy.", 5)]],
      ["I'm lactose intolerant", [fact("intolerance:lactose", "The user is lactose intolerant.", 5)]],
      ["Note that I'm vegan.", [fact("diet", "The user is vegan.")]],
    ]);
  });

  it("likes, dislikes and favourites, with filler kept out of the slot", () => {
    expectAll([
      ["I prefer tea over coffee", [pref("pref:tea", "The user prefers tea over coffee.")]],
      ["I can't stand cilantro", [pref("pref:cilantro", "The user cannot stand cilantro.")]],
      ["I really don't like loud music very much", [pref("pref:loud music", "The user really does not like loud music very much.")]],
      ["I like green tea a lot", [pref("pref:green tea", "The user likes green tea a lot.")]],
      ["I never eat pork", [pref("pref:pork", "The user never eats pork.")]],
      ["I love my mom", [pref("pref:mom", "The user loves their mom.")]],
      ["I'm a huge Beatles fan", [pref("pref:beatles", "The user is a huge Beatles fan.")]],
      ["I'm not a fan of horror movies", [pref("pref:horror movies", "The user is not a fan of horror movies.")]],
      ["My favorite color is blue", [pref("pref:favorite-color", "The user's favorite color is blue.")]],
      ["Jazz is my favorite.", [pref("pref:jazz", "Jazz is the user's favorite.")]],
      ["Ｉ ｌｉｋｅ ｔｅａ！", [pref("pref:tea", "The user likes tea.")]],
    ]);
  });

  it("a like and a later dislike of the same thing share one slot", () => {
    const pairs: [string, string][] = [
      ["I like green tea.", "Actually, I don't like green tea."],
      ["I like The Beatles", "I don't like the beatles"],
      ["I love drinking coffee", "I hate coffee"],
      ["My favorite color is blue", "my favourite color is green"],
      ["Always use emojis", "Never use emojis!"],
    ];
    for (const [before, after] of pairs) {
      const [a] = extract(before);
      const [b] = extract(after);
      expect(a!.key, before).not.toBeNull();
      expect(b!.key, after).toBe(a!.key);
      expect(b!.content).not.toBe(a!.content);
    }
    expect(extract("Actually, I don't like green tea.")).toEqual([pref("pref:green tea", "The user does not like green tea.")]);
  });

  it("notes: kept in the third person, or read as facts when they are about the user", () => {
    expectAll([
      ["remember: the wifi network is called Home5G", [note("Remember: the wifi network is called Home5G.")]],
      ["please remember my wife's birthday is May 3", [note("Remember: the user's wife's birthday is May 3.")]],
      ["Remember that when I say boss, I mean my manager Sarah.", [note("Remember: when the user says boss, the user means the user's manager Sarah.")]],
      ["Please keep in mind that I have a meeting every Friday at 9.", [note("Remember: the user has a meeting every Friday at 9.")]],
      ["Can you remember that I'm allergic to penicillin?", [fact("allergy:penicillin", "The user is allergic to penicillin.", 5)]],
      ["Remember to buy milk", []],
    ]);
  });

  it("standing instructions addressed to the assistant, one slot for the reply language", () => {
    expectAll([
      ["Always answer in bullet points.", [instruction("instr:answer in bullet points", "The user's standing instruction: always answer in bullet points.")]],
      ["Never use emojis!", [instruction("instr:use emojis", "The user's standing instruction: never use emojis.")]],
      ["Going forward, always cite your sources", [instruction("instr:cite your sources", "The user's standing instruction: always cite your sources.")]],
      ["I want you to always answer briefly", [instruction("instr:answer briefly", "The user's standing instruction: always answer briefly.")]],
      ["please reply in Chinese", [instruction("instr:language", "The user wants replies in Chinese.")]],
      ["Please always respond in Japanese from now on", [instruction("instr:language", "The user wants replies in Japanese.")]],
      ["Never reply in English", [instruction("instr:language", "The user's standing instruction: never reply in English.")]],
      ["From now on, call me Captain.", [fact("name", "The user wants to be called Captain.", 5)]],
      // Not standing instructions: idioms, one-off requests, the user's own resolutions.
      ["Never give up!", []],
      ["Never mind.", []],
      ["Always a pleasure!", []],
      ["From now on I'll be more careful.", []],
      ["Don't use emojis.", []],
      ["Please help me write an email to my boss", []],
      ["Translate this into Chinese", []],
    ]);
  });
});

describe("Chinese statements", () => {
  it("names, places, work and birthdays", () => {
    expectAll([
      ["我叫小明。我喜欢喝咖啡。", [fact("name", "用户的名字是小明。", 5), pref("pref:咖啡", "用户喜欢喝咖啡。")]],
      ["我的名字是李雷", [fact("name", "用户的名字是李雷。", 5)]],
      ["叫我小王就行", [fact("name", "用户希望被称为小王。", 5)]],
      ["你好，我是张伟", [fact("name", "用户的名字是张伟。", 5)]],
      ["我叫小明我住在北京", [fact("name", "用户的名字是小明。", 5), fact("location", "用户住在北京。")]],
      ["我来自上海，现在住在深圳", [fact("hometown", "用户来自上海。", 3), fact("location", "用户住在深圳。")]],
      ["我最近搬到了杭州", [fact("location", "用户搬到了杭州。")]],
      ["我在腾讯工作", [fact("workplace", "用户在腾讯工作。", 3)]],
      ["我是一名医生", [fact("job", "用户是一名医生。")]],
      ["我是程序员", [fact("job", "用户是程序员。")]],
      ["我的工作是设计师", [fact("job", "用户的工作是设计师。")]],
      ["我在医院当护士", [fact("job", "用户在医院当护士。")]],
      ["我的生日是5月3日", [fact("birthday", "用户的生日是5月3日。")]],
      ["我吃素", [fact("diet", "用户吃素。")]],
    ]);
  });

  it("likes, dislikes, favourites and allergies", () => {
    expectAll([
      ["我非常喜欢吃辣", [pref("pref:辣", "用户非常喜欢吃辣。")]],
      ["我不吃辣", [pref("pref:辣", "用户不吃辣。")]],
      ["我不喜欢香菜", [pref("pref:香菜", "用户不喜欢香菜。")]],
      ["我讨厌下雨天", [pref("pref:下雨天", "用户讨厌下雨天。")]],
      ["我喜欢咖啡但是不喜欢茶", [pref("pref:咖啡", "用户喜欢咖啡。"), pref("pref:茶", "用户不喜欢茶。")]],
      ["我很喜欢猫！我也很喜欢狗～", [pref("pref:猫", "用户很喜欢猫。"), pref("pref:狗", "用户很喜欢狗。")]],
      ["我最喜欢的颜色是蓝色", [pref("pref:favorite-颜色", "用户最喜欢的颜色是蓝色。")]],
      ["蓝色是我最喜欢的颜色", [pref("pref:favorite-颜色", "用户最喜欢的颜色是蓝色。")]],
      ["我对花生和芒果很过敏", [fact("allergy:花生", "用户对花生过敏。", 5), fact("allergy:芒果", "用户对芒果过敏。", 5)]],
      ["我花生过敏", [fact("allergy:花生", "用户对花生过敏。", 5)]],
    ]);
    // 喜欢 and 不喜欢 of one thing share a slot; so do 喜欢喝咖啡 and 不喜欢咖啡.
    expect(extract("我不喜欢咖啡")[0]!.key).toBe(extract("我喜欢喝咖啡")[0]!.key);
  });

  it("notes and standing instructions", () => {
    expectAll([
      ["记住备用钥匙在蓝色花盆下面", [note("记住：备用钥匙在蓝色花盆下面。")]],
      ["请记住我的车停在B2", [note("记住：用户的车停在B2。")]],
      ["记一下：明天下午三点开会", [note("记住：明天下午三点开会。")]],
      ["请记住我对青霉素过敏", [fact("allergy:青霉素", "用户对青霉素过敏。", 5)]],
      ["请用中文回答", [instruction("instr:language", "用户希望用中文回答。")]],
      ["以后用中文回答", [instruction("instr:language", "用户希望用中文回答。")]],
      ["你能用中文回答吗？", [instruction("instr:language", "用户希望用中文回答。")]],
      ["从现在开始，请用英文回复我", [instruction("instr:language", "用户希望用英文回答。")]],
      ["以后回答简短一点", [instruction("instr:回答简短一点", "用户的长期指示：以后回答简短一点。")]],
      ["总是用简短的句子回答我", [instruction("instr:用简短的句子回答我", "用户的长期指示：总是用简短的句子回答我。")]],
      ["永远不要叫我小名", [instruction("instr:叫我小名", "用户的长期指示：永远不要叫我小名。")]],
      ["以后叫我老王", [fact("name", "用户希望被称为老王。", 5)]],
      ["以后再说吧", []],
    ]);
  });
});

describe("what is not a memory", () => {
  it("questions", () => {
    for (const q of [
      "Do you know what my name is? What do I like?",
      "What's my favorite color?",
      "Is my name Bob?",
      "Do you remember that I like tea?",
      "我叫什么名字？",
      "你喜欢什么？",
      "你知道我住在哪里吗",
    ]) {
      expect(extract(q), q).toEqual([]);
    }
  });

  it("other people, hypotheticals, wishes and the past", () => {
    for (const m of [
      "my friend likes sushi",
      "My wife loves sushi",
      "My friend is allergic to nuts",
      "She lives in Tokyo",
      "My sister's name is Jane",
      'He said "I like tea"',
      "Don't call me Bob",
      "Call me when you're done",
      "if I liked jazz, I'd tell you",
      "What if I moved to Canada?",
      "When I lived in Paris, I loved croissants",
      "I would like a coffee",
      "I used to live in Rome",
      "他喜欢打篮球",
      "我朋友喜欢猫",
      "我儿子花生过敏",
      "如果我喜欢猫，我会养一只",
      "我记得他住在上海",
    ]) {
      expect(extract(m), m).toEqual([]);
    }
  });

  it("greetings, smalltalk and things said to the assistant", () => {
    for (const m of [
      "Hi!",
      "Good morning! How are you?",
      "Thanks, that was helpful!",
      "lol ok",
      "I'm fine thanks",
      "Hi, I'm tired",
      "I'm American",
      "I'm a bit tired",
      "my job is boring",
      "My birthday is tomorrow!",
      "I love you",
      "I like it when you explain things simply",
      "你好",
      "谢谢你！",
      "今天天气真好",
      "我爱你",
      "我喜欢你的回答",
      "我叫了外卖",
      "我的生日是明天",
      "",
    ]) {
      expect(extract(m), m).toEqual([]);
    }
  });
});

describe("shape of the output", () => {
  it("mixes languages in one message, each candidate in its statement's language", () => {
    expect(extract("My name is Bob. 我喜欢喝咖啡。I'm allergic to cats")).toEqual([
      fact("name", "The user's name is Bob.", 5),
      pref("pref:咖啡", "用户喜欢喝咖啡。"),
      fact("allergy:cats", "The user is allergic to cats.", 5),
    ]);
    expect(extract("Hi! 我叫小明, and I live in Shanghai. 我对花生过敏。")).toEqual([
      fact("name", "用户的名字是小明。", 5),
      fact("location", "The user lives in Shanghai."),
      fact("allergy:花生", "用户对花生过敏。", 5),
    ]);
  });

  it("has no duplicates and caps long values and keys", () => {
    expect(extract("I like tea. I like tea! I LIKE TEA")).toEqual([pref("pref:tea", "The user likes TEA.")]);
    expect(extract("Remember: the door code is 4512. Remember: the door code is 4512.")).toEqual([note("Remember: the door code is 4512.")]);
    const long = extract(`I like ${"very long words ".repeat(60)}`);
    expect(long).toHaveLength(1);
    expect(long[0]!.content.length).toBeLessThanOrEqual("The user likes .".length + 201);
    expect(long[0]!.key!.length).toBeLessThanOrEqual(200);
    for (const c of extract("Hi! My name is Alice Chen. I like green tea. Remember that the spare key is under the blue pot. 以后用中文回答")) {
      expect(c.importance).toBeGreaterThanOrEqual(1);
      expect(c.importance).toBeLessThanOrEqual(5);
      expect(["fact", "preference", "instruction", "note"]).toContain(c.kind);
    }
  });

  it("is deterministic: the same text gives the same candidates, whatever ran before", () => {
    const text = "你好，我是张伟。I live in Oslo, I'm a teacher and I hate cilantro. Remember that my locker is number 12.";
    const first = extract(text);
    expect(first.length).toBe(5);
    extract("我叫小明我住在北京。Always answer in bullet points.");
    expect(extract(text)).toEqual(first);
    expect(JSON.stringify(extract(text))).toBe(JSON.stringify(first));
  });

  it("normalises slot keys", () => {
    expect(normaliseForKey("  The   Green TEA!! ")).toBe("green tea");
    expect(normaliseForKey("green tea very much")).toBe("green tea");
    expect(normaliseForKey("ＧＲＥＥＮ　ｔｅａ")).toBe("green tea");
    expect(normaliseForKey("非常辣的菜")).toBe("辣的菜");
    expect(normaliseForKey("a lot".repeat(100)).length).toBeLessThanOrEqual(150);
  });
});
