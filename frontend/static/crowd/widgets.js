import { setupBoard } from "./board.js";
import { setupChoices } from "./choices.js";

// The answering widget of a task area: the board for good/okay/bad, radios otherwise.
export function setupTask(root, handlers) {
  const board = root.querySelector(".board");
  return board ? setupBoard(board, handlers) : setupChoices(root, handlers);
}
