# Pass criteria of idle-hang: the hang fired, the driver reset (on its own or at the scan
# the scenario requests after 20 s) and traffic came back.
[[ "$assoc" == true ]] || fails+=("not associated")
[[ "$(q .fault.kind)" == hang ]] || fails+=("the hang did not fire")
[[ "$(q .fw_reloads)" -ge 1 ]] || fails+=("no reload")
[[ "$(q .outage_ms)" =~ ^[0-9]+$ ]] || fails+=("traffic did not come back")
[[ "$(q .final_state)" == connected ]] || fails+=("final state $(q .final_state)")
