import type { DatasetFormat } from "./types.ts";

/** The toolkit's order for the question field (`parse_question`'s fallback loop). */
const QUESTION_KEYS = ["question", "problem", "Question", "input"];

/** Field candidates per role: the first one a file has wins. Required roles must resolve. */
export interface FormatFields {
  id: string[];
  question: string[];
  answer: string[];
  context?: string[];
  level?: string[];
  subject?: string[];
}

export interface FormatInfo {
  name: DatasetFormat;
  fields: FormatFields;
  /** How the ground truth is derived, in words (shown by `arbitrage dataset`). */
  groundTruth: string;
}

const boxedSolution = {
  id: ["unique_id", "idx", "id"],
  question: QUESTION_KEYS,
  answer: ["solution"],
  level: ["level"],
  subject: ["subject", "type"],
};

export const FORMATS: Record<DatasetFormat, FormatInfo> = {
  math500: {
    name: "math500",
    fields: boxedSolution,
    groundTruth: "the last \\boxed{} of the solution (not the answer field), normalised with strip_string",
  },
  math: {
    name: "math",
    fields: boxedSolution,
    groundTruth: "the last \\boxed{} of the solution, normalised with strip_string",
  },
  minerva_math: {
    name: "minerva_math",
    fields: { id: ["idx", "id"], question: QUESTION_KEYS, answer: ["solution"], subject: ["type"] },
    groundTruth: "the last \\boxed{} of the solution, normalised with strip_string keeping units",
  },
  olympiadbench: {
    name: "olympiadbench",
    fields: { id: ["id", "idx"], question: QUESTION_KEYS, answer: ["final_answer"], subject: ["subfield", "subject"] },
    groundTruth: "final_answer[0] with $ stripped, normalised with strip_string",
  },
  gsm8k: {
    name: "gsm8k",
    fields: { id: ["idx", "id"], question: QUESTION_KEYS, answer: ["answer"] },
    groundTruth: 'the text after "####" in the answer, normalised with strip_string',
  },
  aime24: {
    name: "aime24",
    fields: { id: ["id", "idx"], question: QUESTION_KEYS, answer: ["answer"] },
    groundTruth: "the answer field, normalised with strip_string",
  },
  amc23: {
    name: "amc23",
    fields: { id: ["id", "idx"], question: QUESTION_KEYS, answer: ["answer"] },
    groundTruth: "the answer field (a number), normalised with strip_string",
  },
  svamp: {
    name: "svamp",
    fields: {
      id: ["ID", "id", "idx"],
      question: ["Question", "question"],
      context: ["Body", "body"],
      answer: ["Answer", "answer"],
      subject: ["Type", "type"],
    },
    groundTruth: "the Answer field (a number), normalised with strip_string",
  },
  asdiv: {
    name: "asdiv",
    fields: { id: ["idx", "id"], question: ["question"], context: ["body"], answer: ["answer"], subject: ["solution_type"] },
    groundTruth: 'the answer field without "(...)" units, normalised with strip_string',
  },
  custom: {
    name: "custom",
    fields: {
      id: ["id", "idx", "unique_id", "ID", "problem_id", "uid", "qid", "index"],
      question: [...QUESTION_KEYS, "Problem", "prompt", "query", "instruction"],
      answer: ["answer", "final_answer", "Answer", "target", "label", "output", "solution", "gt", "ground_truth"],
      level: ["level", "Level", "difficulty"],
      subject: ["subject", "type", "subfield", "category", "Type", "topic"],
    },
    groundTruth:
      'the answer field: a \\boxed{} inside it is extracted, text after "####" taken, a list gives its first item; normalised with strip_string',
  },
};

