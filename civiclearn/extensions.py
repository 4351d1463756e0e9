"""Flask extensions, created unbound here and bound to the app in create_app()."""

from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from civiclearn.database import Model

db = SQLAlchemy(model_class=Model)
migrate = Migrate(render_as_batch=True)  # batch mode lets SQLite alter tables
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address)
compress = Compress()
