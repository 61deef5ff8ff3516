import { expect, test } from "bun:test";
import { pendingView } from "./feed-reducer.ts";
import { moveSelection, selectedPending, setSelectedKey } from "./drawer.ts";
import { create } from "@bufbuild/protobuf";
import { PendingApprovalSchema } from "../../../lib/gen/mcpacp/common/v1/approval_pb.ts";
import { approvalInit } from "./test-events.ts";

test("j/k selection wraps and falls back to the oldest item when the selected one is gone", () => {
  const list = ["a", "b", "c"].map((id, i) => pendingView(create(PendingApprovalSchema, approvalInit(id, "fs", 1000 + i)), "fs"));
  setSelectedKey(undefined);
  expect(selectedPending(list)?.approval.id).toBe("a");
  expect(moveSelection(list, 1)?.approval.id).toBe("b");
  expect(moveSelection(list, 1)?.approval.id).toBe("c");
  expect(moveSelection(list, 1)?.approval.id).toBe("a");
  expect(moveSelection(list, -1)?.approval.id).toBe("c");
  expect(selectedPending(list.slice(0, 2))?.approval.id).toBe("a");
  expect(moveSelection([], 1)).toBeUndefined();
});
