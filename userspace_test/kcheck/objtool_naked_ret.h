// Why: kcheck self-test fixture. Hand-written assembly with a plain `ret` bypasses the
// kernel's return thunk (CONFIG_RETHUNK, the SRSO/retbleed mitigation); objtool only *warns*
// about it in 6.1 and the module still builds. check.sh must report it under "objtool".
asm(".pushsection .text\n"
    ".globl kcheck_fixture_naked_ret\n"
    ".type kcheck_fixture_naked_ret, @function\n"
    "kcheck_fixture_naked_ret:\n"
    "\tret\n"
    "\tint3\n"
    ".size kcheck_fixture_naked_ret, . - kcheck_fixture_naked_ret\n"
    ".popsection\n");
