# Pass criteria of assert: the COREDUMP event went out, the driver reset and reloaded, and
# traffic came back.
[[ "$assoc" == true ]] || fails+=("not associated")
[[ "$(q .fault.kind)" == assert ]] || fails+=("the assert did not fire")
[[ "$(q .fw_reloads)" -ge 1 ]] || fails+=("no reload")
[[ "$(q .outage_ms)" =~ ^[0-9]+$ ]] || fails+=("traffic did not come back")
[[ "$(q .final_state)" == connected ]] || fails+=("final state $(q .final_state)")
