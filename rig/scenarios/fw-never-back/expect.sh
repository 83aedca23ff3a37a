# Pass criteria of fw-never-back. connac: exactly one WEDGED line, no hung task, the interface
# down (IFF_UP clear, or gone). stock: no hung task (its ten chip resets and what follows are
# reported, not judged). Both: the guest survives and the report is complete.
[[ "$assoc" == true ]] || fails+=("not associated before the fault")
[[ "$(res hung_tasks "$work")" == 0 ]] || fails+=("$(res hung_tasks "$work") hung-task reports")
if [[ "$driver" == connac ]]; then
  [[ "$(res wedged_lines "$work")" == 1 ]] ||
    fails+=("$(res wedged_lines "$work") 'connac: firmware WEDGED' lines, want 1")
  f=$(res iface_flags "$work")
  [[ "$f" == gone ]] || (( (f & 1) == 0 )) || fails+=("interface still up (flags $f)")
fi
