# The prod stack: invoke deploy --env prod passes this file.
environment = "prod"
