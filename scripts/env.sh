# Sourced by the operator scripts: .env fills in only the variables the environment does not
# set, as the app reads it (django-environ, overwrite=False).
if [ -f .env ]; then
  while IFS='=' read -r key value; do
    case "$key" in ''|\#*) continue ;; esac
    key=${key// /}
    value=${value%\"}; value=${value#\"}; value=${value%\'}; value=${value#\'}
    [ -n "${!key+set}" ] || export "$key=$value"
  done < .env
fi
