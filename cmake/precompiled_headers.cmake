# Precompiled headers: filled in below once the module targets build.
function(sqlmeasure_precompile target)
endfunction()
