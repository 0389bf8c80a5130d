<?php const APP_NAME = "app";
